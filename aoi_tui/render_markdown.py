"""Markdown for the exports. The shared report renders a `SharedReport` only;
the confidential file a `ConfidentialFile`. HTML is made from this Markdown."""

from __future__ import annotations

from datetime import date

from aoi_tui.confidential_file import ConfidentialFile
from aoi_tui.i18n import t
from aoi_tui.models import Level
from aoi_tui.phases import phases_for
from aoi_tui.session_recap import SessionRecap
from aoi_tui.shared_report import SharedReport
from aoi_tui.text import clean


def _d(value: date | None, lang: str) -> str:
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def _item(text: str, marker: str = "- ") -> str:
    """A list item whose continuation lines stay inside it."""
    lines = clean(text).strip().splitlines() or [""]
    pad = " " * len(marker)
    return marker + lines[0] + "".join(f"\n{pad}{line}" if line else "\n" for line in lines[1:])


def _label(label: str, lang: str) -> str:
    """A label and its colon, as each language writes it."""
    return f"{label} : " if lang == "fr" else f"{label}: "


def _inline(text: str) -> str:
    return " ".join(clean(text).split())


def _level(level: Level | None, lang: str) -> str:
    return "—" if level is None else t(f"level.{level.value}", lang)


def _phase_label(kind: str, phase: str, lang: str) -> str:
    for p in phases_for(kind):
        if p.id == phase:
            return p.label(lang)
    return phase


def shared_markdown(report: SharedReport, lang: str) -> str:
    out: list[str] = []
    add = out.append
    add(f"# {t('export.shared.title', lang)} — {_inline(report.coachee)}\n")
    add(f"_{t('export.shared.notice', lang)}_\n")
    add(f"## {t('export.engagement', lang)}\n")
    add(f"- {_label(t('field.coachee', lang), lang)}{_inline(report.coachee)}")
    add(f"- {_label(t('field.sponsor', lang), lang)}{_inline(report.sponsor)}")
    if report.coach:
        add(f"- {_label(t('field.coach', lang), lang)}{_inline(report.coach)}")
    if report.organisation:
        add(f"- {_label(t('field.organisation', lang), lang)}{_inline(report.organisation)}")
    add(
        f"- {_label(t('field.period', lang), lang)}{_d(report.period_start, lang)} → "
        f"{_d(report.period_end, lang)}"
    )
    add(f"- {_label(t('field.planned_sessions', lang), lang)}{report.planned_sessions}")
    add(f"- {_label(t('field.status', lang), lang)}{t('status.' + report.status.value, lang)}\n")

    add(f"## {t('export.agreement', lang)}\n")
    a = report.agreement
    add(f"- {_label(t('field.consent_date', lang), lang)}{_d(a.consent_date, lang)}")
    add(
        f"- {_label(t('field.right_to_withdraw', lang), lang)}{t('yes' if a.right_to_withdraw else 'no', lang)}"
    )
    for flag in ("report_attendance", "report_objective_status", "report_competencies"):
        add(
            f"- {_label(t('field.' + flag, lang), lang)}{t('yes' if getattr(a, flag) else 'no', lang)}"
        )
    if a.confidentiality:
        add("")
        add(_item(a.confidentiality, "> "))
    add("")

    if report.sessions:
        add(f"## {t('export.sessions', lang)}\n")
        for s in report.sessions:
            add(f"- {t('session.kind.' + s.kind.value, lang)} {s.number} : {_d(s.held_on, lang)}")
        add("")

    if report.objectives:
        add(f"## {t('export.objectives', lang)}\n")
        for o in report.objectives:
            area = f" ({t('area.' + o.area.value, lang)})" if o.area else ""
            add(_item(o.statement + area))
            if o.indicator:
                add(f"  - {_label(t('field.indicator', lang), lang)}{_inline(o.indicator)}")
            if o.expected_result:
                add(
                    f"  - {_label(t('field.expected_result', lang), lang)}{_inline(o.expected_result)}"
                )
            if o.status is not None:
                add(
                    f"  - {_label(t('field.status', lang), lang)}{t('objective.' + o.status.value, lang)}"
                )
        add("")

    if report.messages:
        add(f"## {t('export.messages', lang)}\n")
        for m in report.messages:
            add(
                f"### {t('export.session', lang)} {m.session} "
                f"({t('export.validated_on', lang)} {_d(m.validated_on, lang)})\n"
            )
            add(clean(m.text).strip() + "\n")

    if report.notes:
        add(f"## {t('export.shared_notes', lang)}\n")
        for n in report.notes:
            add(
                _item(
                    f"{t('export.session', lang)} {n.session} — {n.text}\n"
                    f"_{t('export.validated_on', lang)} {_d(n.validated_on, lang)}_"
                )
            )
        add("")

    if report.actions:
        add(f"## {t('export.actions', lang)}\n")
        for act in report.actions:
            due = f" — {t('field.due', lang)} {_d(act.due, lang)}" if act.due else ""
            add(_item(f"{act.text} ({t('owner.' + act.owner.value, lang)}{due})"))
        add("")

    if report.competencies is not None:
        add(f"## {t('export.competencies', lang)}\n")
        add(
            f"| {t('field.competency', lang)} | {t('fsac.start', lang)} | "
            f"{t('fsac.now', lang)} | {t('fsac.target', lang)} |"
        )
        add("|---|---|---|---|")
        for c in report.competencies:
            add(
                f"| {_inline(c.name).replace('|', '/')} | {_level(c.start_level, lang)} | "
                f"{_level(c.latest_level, lang)} | {_level(c.target, lang)} |"
            )
        add("")

    if report.validation_dates:
        add(f"## {t('export.validations', lang)}\n")
        add(", ".join(_d(d, lang) for d in report.validation_dates) + "\n")
    return "\n".join(out).rstrip() + "\n"


def confidential_markdown(cf: ConfidentialFile, lang: str) -> str:
    eng = cf.engagement
    out: list[str] = []
    add = out.append
    banner = f"**{t('export.confidential.banner', lang)}**"
    add(f"# {t('export.confidential.title', lang)} — {_inline(eng.coachee)}\n")
    add(banner + "\n")
    add(f"## {t('export.engagement', lang)}\n")
    add(f"- {_label(t('field.coachee', lang), lang)}{_inline(eng.coachee)}")
    add(f"- {_label(t('field.sponsor', lang), lang)}{_inline(eng.sponsor)}")
    add(f"- {_label(t('field.coach', lang), lang)}{_inline(eng.coach) or '—'}")
    add(f"- {_label(t('field.organisation', lang), lang)}{_inline(eng.organisation) or '—'}")
    add(f"- {_label(t('field.format', lang), lang)}{t('format.' + eng.format.value, lang)}")
    add(f"- {_label(t('field.planned_sessions', lang), lang)}{eng.planned_sessions}")
    add(
        f"- {_label(t('field.cadence', lang), lang)}{t('cadence.days', lang, days=eng.cadence_days)}"
    )
    add(f"- {_label(t('field.status', lang), lang)}{t('status.' + eng.status.value, lang)}")
    add(f"- {_label(t('field.consent_date', lang), lang)}{_d(eng.agreement.consent_date, lang)}\n")
    for key, text in (
        ("field.coachee_expectations", eng.coachee_expectations),
        ("field.sponsor_expectations", eng.sponsor_expectations),
        ("field.strategy", eng.strategy),
        ("field.confidentiality", eng.agreement.confidentiality),
    ):
        if text:
            add(f"### {t(key, lang)}\n")
            add(clean(text).strip() + "\n")

    if cf.objectives:
        add(f"## {t('export.objectives', lang)}\n")
        for o in cf.objectives:
            area = f" ({t('area.' + o.area.value, lang)})" if o.area else ""
            add(_item(f"{o.statement}{area} — {t('objective.' + o.status.value, lang)}"))
        add("")

    if cf.competencies:
        add(f"## {t('export.competencies', lang)}\n")
        for c in cf.competencies:
            marks = [a for a in cf.assessments if a.competency_id == c.id]
            history = ", ".join(
                f"{_d(a.on, lang)} {t('assessor.' + a.by.value, lang)}/"
                f"{t('timing.' + a.timing.value, lang)} {_level(a.level, lang)}"
                for a in marks
            )
            add(
                _item(
                    f"{c.name}: {t('fsac.start', lang)} {_level(c.start_level, lang)}, "
                    f"{t('fsac.target', lang)} {_level(c.target, lang)}"
                    + (f" — {history}" if history else "")
                )
            )
        add("")

    for s in cf.sessions:
        add(f"## {t('session.kind.' + s.kind.value, lang)} {s.number} — {_d(s.held_on, lang)}\n")
        add(banner + "\n")
        if s.feeling is not None:
            add(
                f"- {_label(t('field.feeling', lang), lang)}{s.feeling}/5 {_inline(s.feeling_note)}"
            )
        if s.coachee_log:
            add(f"\n### {t('field.coachee_log', lang)}\n")
            add(clean(s.coachee_log).strip() + "\n")
        if s.sponsor_message:
            state = t("validated" if s.sponsor_message_validated else "not_validated", lang)
            add(f"\n### {t('export.message', lang)} ({state})\n")
            add(clean(s.sponsor_message).strip() + "\n")
        notes = [n for n in cf.notes if n.session == s.number]
        if notes:
            add(f"\n### {t('export.notes', lang)}\n")
            for n in notes:
                tags = [
                    _phase_label(s.kind.value, n.phase, lang),
                    t("kind." + n.kind.value, lang),
                    t("visibility." + n.visibility.value, lang),
                ]
                if n.role:
                    tags.insert(1, t("role." + n.role.value, lang))
                if n.validated:
                    tags.append(t("validated", lang))
                add(_item(f"[{' · '.join(tags)}] {n.text}"))
        actions = [a for a in cf.actions if a.session == s.number]
        if actions:
            add(f"\n### {t('export.actions', lang)}\n")
            for act in actions:
                due = f", {t('field.due', lang)} {_d(act.due, lang)}" if act.due else ""
                add(
                    _item(
                        f"{act.text} ({t('owner.' + act.owner.value, lang)}{due}, "
                        f"{t('action.' + act.status.value, lang)}, "
                        f"{t('visibility.' + act.visibility.value, lang)})"
                    )
                )
        add("")

    if cf.tools:
        add(f"## {t('export.tools', lang)}\n")
        for tool in cf.tools:
            maturity = ", ".join(f"{_d(m.on, lang)} {_level(m.level, lang)}" for m in tool.maturity)
            add(_item(f"{tool.name}" + (f" — {maturity}" if maturity else "")))
        add("")

    if cf.exports:
        add(f"## {t('export.history', lang)}\n")
        for e in cf.exports:
            add(
                f"- {e.at.strftime('%Y-%m-%d %H:%M')} — {t('audience.' + e.audience.value, lang)}"
                f" ({e.format}) → {_inline(e.filename)}"
            )
        add("")
    add(banner)
    return "\n".join(out).rstrip() + "\n"


def recap_markdown(recap: SessionRecap, lang: str) -> str:
    out: list[str] = []
    add = out.append
    add(
        f"# {t('export.recap.title', lang)} — {_inline(recap.coachee)}, "
        f"{t('export.session', lang).lower()} {recap.session} ({_d(recap.held_on, lang)})\n"
    )
    add(f"_{t('export.recap.notice', lang)}_\n")
    add(f"## {t('export.actions', lang)}\n")
    if recap.actions:
        for act in recap.actions:
            due = f" — {t('field.due', lang)} {_d(act.due, lang)}" if act.due else ""
            add(_item(f"{act.text} ({t('owner.' + act.owner.value, lang)}{due})"))
    else:
        add("—")
    add("")
    add(f"## {t('export.message', lang)}\n")
    add(
        (clean(recap.message).strip() if recap.message else t("export.recap.no_message", lang))
        + "\n"
    )
    if recap.notes:
        add(f"## {t('export.shared_notes', lang)}\n")
        for text in recap.notes:
            add(_item(text))
        add("")
    if recap.next_session:
        add(f"{_label(t('export.recap.next', lang), lang)}{_d(recap.next_session, lang)}")
    return "\n".join(out).rstrip() + "\n"
