"""`aoi hours`: the coaching hours log as a credential asks for it, gathered from
every engagement of the store, the anonymous rows of erased ones, and the
supervision log's totals; written as CSV (every cell guarded against formulas:
a spreadsheet runs a cell that starts with =, +, -, @, a tab or a CR) or
Markdown (names escaped: they never make structure)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from aoi_tui.config.i18n import t
from aoi_tui.domain.hours import (
    DEFAULT_LEFT_OUT,
    ClientRow,
    HoursLog,
    SessionHours,
    engagement_rows,
    erased_rows,
    to_hours,
    total,
)
from aoi_tui.domain.planning import PlannedSession, PlanStatus
from aoi_tui.exports.markdown_safety import Document, cell as md_cell
from aoi_tui.store.store import Store

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guarded(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading ' where it would run a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def gather(
    store: Store, left_out: list[str] | None, start: date | None, end: date | None
) -> HoursLog:
    from aoi_tui.domain.supervision import totals as supervision_totals
    from aoi_tui.store.after_erasure import AfterErasure
    from aoi_tui.store.supervision_log import SupervisionLog

    phases = DEFAULT_LEFT_OUT if left_out is None else tuple(left_out)
    rows: list[ClientRow] = []
    for summary in store.list_engagements():
        if summary.demo:
            continue  # the fictional engagements of `aoi demo` are no one's hours
        ef = store.engagement(summary.id)
        planned = [
            p
            for p in ef.all(PlannedSession)
            if (start is None or p.on >= start) and (end is None or p.on <= end)
        ]
        rows += engagement_rows(
            ef.engagement(),
            ef.sessions(),
            phases,
            start,
            end,
            cancelled=sum(1 for p in planned if p.status is PlanStatus.CANCELLED),
            no_shows=sum(1 for p in planned if p.status is PlanStatus.NO_SHOW),
        )
    for kept in AfterErasure(store).read()["hours"]:
        sessions = [
            SessionHours(
                on=date.fromisoformat(s["on"]),
                minutes=int(s["minutes"]),
                estimated=bool(s["estimated"]),
                group_size=int(s["size"]),
            )
            for s in kept.get("sessions", [])
        ]
        rows += erased_rows(sessions, bool(kept.get("pro_bono")), start, end)
    rows.sort(key=lambda r: (r.start, r.end, r.name == "", r.name.casefold()))
    sums = total(rows)
    sup = supervision_totals(SupervisionLog(store).entries(), start, end)
    sums.supervision_hours = sup.hours
    sums.supervisions = sup.sessions
    return HoursLog(rows=rows, totals=sums, start=start, end=end)


def _hours(minutes: int) -> str:
    return f"{to_hours(minutes):f}"


def _name(r: ClientRow, lang: str | None) -> str:
    if r.erased:
        return t("hours.erased", lang)
    return r.name or t("hours.anonymous", lang)


def _form(r: ClientRow, lang: str | None) -> str:
    return t("hours.group", lang, size=r.group_size) if r.group else t("hours.individual", lang)


def _paid(r: ClientRow, lang: str | None) -> str:
    return t("hours.pro_bono_value" if r.pro_bono else "hours.paid_value", lang)


HEADER = (
    "hours.client",
    "hours.email",
    "hours.start",
    "hours.end",
    "hours.form",
    "hours.paid",
    "hours.sessions",
    "hours.hours",
    "hours.estimated",
    "hours.cancelled",
    "hours.no_shows",
)


def _header(lang: str | None) -> list[str]:
    return [t(key, lang) for key in HEADER]


def _cells(r: ClientRow, lang: str | None) -> list[str]:
    return [
        _name(r, lang),
        r.email,
        r.start.isoformat(),
        r.end.isoformat(),
        _form(r, lang),
        _paid(r, lang),
        str(r.sessions),
        _hours(r.minutes),
        t("yes", lang) if r.estimated else "",
        str(r.cancelled),
        str(r.no_shows),
    ]


def _totals(log: HoursLog, lang: str | None) -> list[tuple[str, str]]:
    s = log.totals
    sup = f"{Decimal(s.supervision_hours).normalize():f}"
    return [
        (t("hours.total_paid", lang), _hours(s.paid)),
        (t("hours.total_pro_bono", lang), _hours(s.pro_bono)),
        (t("hours.total_individual", lang), _hours(s.individual)),
        (t("hours.total_group", lang), _hours(s.group)),
        (t("hours.total_overall", lang), _hours(s.overall)),
        (t("hours.total_supervision", lang, count=s.supervisions), sup),
        (t("hours.total_cancelled", lang), str(s.cancelled)),
        (t("hours.total_no_shows", lang), str(s.no_shows)),
    ]


def totals_words(log: HoursLog, lang: str | None = None) -> list[tuple[str, str]]:
    """The totals as (label, value), for a screen."""
    return _totals(log, lang)


def row_words(r: ClientRow, lang: str | None = None) -> str:
    """A row in one line, for a screen (the estimated mark as *)."""
    return t(
        "ui.agenda.hours_row",
        lang,
        start=r.start.isoformat(),
        end=r.end.isoformat(),
        name=_name(r, lang),
        form=_form(r, lang),
        paid=_paid(r, lang),
        hours=_hours(r.minutes),
        mark=" *" if r.estimated else "",
    )


def _period(log: HoursLog, lang: str | None) -> str:
    if log.start is None and log.end is None:
        return t("hours.all_time", lang)
    return t(
        "hours.period",
        lang,
        start=log.start.isoformat() if log.start else "…",
        end=log.end.isoformat() if log.end else "…",
    )


def _counted(left_out: list[str] | None, lang: str | None) -> str:
    phases = DEFAULT_LEFT_OUT if left_out is None else tuple(left_out)
    return (
        t("hours.counted", lang, phases=", ".join(phases))
        if phases
        else t("hours.counted_all", lang)
    )


def render_csv(log: HoursLog, left_out: list[str] | None, lang: str | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([guarded(c) for c in _header(lang)])
    for r in log.rows:
        writer.writerow([guarded(c) for c in _cells(r, lang)])
    writer.writerow([])
    for label, value in _totals(log, lang):
        writer.writerow([guarded(label), guarded(value)])
    writer.writerow([guarded(_period(log, lang))])
    writer.writerow([guarded(_counted(left_out, lang))])
    return buffer.getvalue()


def render_markdown(log: HoursLog, left_out: list[str] | None, lang: str | None = None) -> str:
    lines = [f"# {t('hours.title', lang)}", "", _period(log, lang), ""]
    if log.rows:
        header = _header(lang)
        lines.append("| " + " | ".join(md_cell(h) for h in header) + " |")
        lines.append("|" + "---|" * len(header))
        for r in log.rows:
            lines.append("| " + " | ".join(md_cell(c) for c in _cells(r, lang)) + " |")
    else:
        lines.append(t("hours.none", lang))
    lines += ["", f"## {t('hours.totals', lang)}", ""]
    lines += [f"- {md_cell(label)}: {value}" for label, value in _totals(log, lang)]
    lines += ["", _counted(left_out, lang)]
    if any(r.estimated for r in log.rows):
        lines += ["", f"{t('hours.estimated', lang)}: {t('hours.estimated_mark', lang)}"]
    # A typed name holding an image or raw HTML stays text, as in the other documents.
    doc = Document()
    doc.lines(lines)
    return doc.text()


__all__ = [
    "FORMULA_STARTS",
    "gather",
    "guarded",
    "render_csv",
    "render_markdown",
    "row_words",
    "totals_words",
]
