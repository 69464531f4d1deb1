"""The words and parts the three Markdown documents share, in each language: a
date, a label and its colon, a field, a level, a session's kind and heading,
and the parts both the sponsor's report and the confidential file give (the
agreement, the objectives, an action's line). Typed text goes through
`markdown_safety`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from aoi_tui.config.i18n import t
from aoi_tui.domain.models import Action, Agreement, Level, Objective, Owner, SessionKind
from aoi_tui.domain.phases import phases_for
from aoi_tui.exports.markdown_safety import Document, heading, inline, lead, quote
from aoi_tui.exports.session_recap import RecapAction
from aoi_tui.exports.shared_report import SharedAction, SharedAgreement, SharedObjective

NBSP = "\u00a0"
SEP = " · "


def day(value: date | None, lang: str) -> str:
    """A date as each language writes it (—: none)."""
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def hour(value: datetime) -> str:
    return value.strftime("%H:%M")


def label(text: str, lang: str) -> str:
    """A label and its colon, as each language writes it (French: a no-break
    space before the colon, so it never starts a line)."""
    return f"{text}{NBSP}: " if lang == "fr" else f"{text}: "


def field(key: str, value: str, lang: str) -> str:
    """A list item: a label, then a value already made safe."""
    return f"- {label(t(key, lang), lang)}{value}"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def level(value: Level | None, lang: str) -> str:
    return "—" if value is None else t(f"level.{value.value}", lang)


def kind_in_sentence(kind: SessionKind, lang: str) -> str:
    """The kind of a session, inside a sentence ("Séance 2 — séance d'AOI du …"):
    lower case, unless it starts with an acronym ("AOI session")."""
    text = t(f"session.kind.{kind.value}", lang)
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def phase_label(kind: str, phase: str, lang: str) -> str:
    for p in phases_for(kind):
        if p.id == phase:
            return p.label(lang)
    return phase


def session_heading(number: int, kind: SessionKind, held_on: date, lang: str) -> str:
    return t(
        "export.session_title",
        lang,
        number=number,
        kind=kind_in_sentence(kind, lang),
        date=day(held_on, lang),
    )


# -- parts of both the sponsor's report and the confidential file ------------------------------


def agreement_section(doc: Document, a: SharedAgreement | Agreement, lang: str) -> None:
    """The agreement, as both the sponsor's report and the confidential file give it:
    consent, the right to withdraw, each reporting flag, then its confidentiality."""
    doc.add(heading(2, t("export.agreement", lang)))
    doc.lines(
        [
            field("field.consent_date", day(a.consent_date, lang), lang),
            field("field.right_to_withdraw", t("yes" if a.right_to_withdraw else "no", lang), lang),
        ]
        + [
            field("field." + flag, t("yes" if getattr(a, flag) else "no", lang), lang)
            for flag in ("report_attendance", "report_objective_status", "report_competencies")
        ]
    )
    if a.coach_supervised:  # said only where agreed: older documents keep their shape
        doc.add(t("export.coach_supervised", lang))
    if getattr(a, "listed_in_hours_log", False):  # the confidential file's; likewise
        doc.add(t("hours.listed_note", lang))
    if a.confidentiality.strip():
        doc.add(quote(a.confidentiality))


def objectives_section(
    doc: Document, objectives: Sequence[SharedObjective | Objective], lang: str
) -> None:
    """The objectives, each with its area, indicator, expected result and status
    (the sponsor's report has a status only where the agreement reports it)."""
    if objectives:
        doc.add(heading(2, t("export.objectives", lang)))
        doc.lines([line for o in objectives for line in _objective_lines(o, lang)])


def _objective_lines(o: SharedObjective | Objective, lang: str) -> list[str]:
    lines = ["- " + lead(o.statement)]
    if o.area is not None:
        lines.append("  " + field("field.area", t(f"area.{o.area.value}", lang), lang))
    if o.indicator.strip():
        lines.append("  " + field("field.indicator", inline(o.indicator), lang))
    if o.expected_result.strip():
        lines.append("  " + field("field.expected_result", inline(o.expected_result), lang))
    if o.status is not None:
        lines.append("  " + field("field.progress", t(f"objective.{o.status.value}", lang), lang))
    return lines


class OwnedAction(Protocol):
    """An action as any document shows it: whose it is and when it is due."""

    @property
    def owner(self) -> Owner: ...
    @property
    def due(self) -> date | None: ...


def action_meta(
    action: SharedAction | RecapAction | Action | OwnedAction,
    lang: str,
    *details: str,
    session: int | None = None,
) -> str:
    """What comes before an action's text: its owner, session, due date, details."""
    owner = t(f"owner.{action.owner.value}", lang)
    parts = [f"**{owner[:1].upper() + owner[1:]}**"]
    if session is not None:
        parts.append(f"{t('export.session', lang).lower()} {session}")
    if action.due:
        parts.append(f"{t('field.due', lang)} {day(action.due, lang)}")
    parts.extend(d for d in details if d)
    return SEP.join(parts) + " — "
