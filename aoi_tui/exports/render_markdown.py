"""The three documents in Markdown: the sponsor's report renders a `SharedReport`
only, the coach's confidential file a `ConfidentialFile`, the coachee's recap a
`SessionRecap`. HTML is made from this Markdown (`render_html`).

Each document is a `Document` of blocks written section by section; every typed
text reaches it through `markdown_safety` (contained, flattened or escaped), and
the words the documents share come from `markdown_parts`."""

from __future__ import annotations

from aoi_tui.config.i18n import t
from aoi_tui.domain.models import Action, Engagement, ExportRecord, Note, Session, Visibility
from aoi_tui.domain.vocabulary import counts_as_held
from aoi_tui.exports.confidential_file import ConfidentialFile
from aoi_tui.exports.markdown_parts import (
    NBSP,
    SEP,
    action_meta,
    agreement_section,
    capital,
    day,
    field,
    hour,
    label,
    level,
    objectives_section,
    phase_label,
    session_heading,
)
from aoi_tui.exports.markdown_safety import Document, cell, code, heading, inline, item, quote
from aoi_tui.exports.session_recap import SessionRecap
from aoi_tui.exports.shared_report import SharedReport

# -- the sponsor's report ------------------------------------------------------------------


def shared_markdown(report: SharedReport, lang: str) -> str:
    doc = Document()
    doc.add(heading(1, f"{t('export.shared.title', lang)} — {inline(report.coachee)}"))
    doc.add(f"_{t('export.shared.notice', lang)}_")
    doc.add(heading(2, t("export.engagement", lang)))
    doc.lines(_report_facts(report, lang))
    agreement_section(doc, report.agreement, lang)
    if report.sessions:
        doc.add(heading(2, t("export.sessions", lang)))
        doc.lines(
            [f"- {session_heading(s.number, s.kind, s.held_on, lang)}" for s in report.sessions]
        )
    objectives_section(doc, report.objectives, lang)
    _report_messages(doc, report, lang)
    _report_notes(doc, report, lang)
    _report_actions(doc, report, lang)
    _report_competencies(doc, report, lang)
    _report_closing(doc, report, lang)
    if report.validation_dates:
        doc.add(heading(2, t("export.validations", lang)))
        doc.lines([f"- {day(d, lang)}" for d in report.validation_dates])
    return doc.text()


def _report_facts(report: SharedReport, lang: str) -> list[str]:
    facts = [
        field("field.coachee", inline(report.coachee), lang),
        field("field.sponsor", inline(report.sponsor), lang),
    ]
    if report.coach.strip():
        facts.append(field("field.coach", inline(report.coach), lang))
    if report.organisation.strip():
        facts.append(field("field.organisation", inline(report.organisation), lang))
    facts.append(field("field.status", t(f"status.{report.status.value}", lang), lang))
    if report.period_start and report.period_end:
        facts.append(field("field.period", _period(report, lang), lang))
    facts.append(field("field.planned_sessions", str(report.planned_sessions), lang))
    if report.agreement.report_attendance:
        held = sum(1 for x in report.sessions if counts_as_held(x.kind))
        facts.append(field("field.sessions_held", str(held), lang))
    if report.closed_on:
        facts.append(field("field.closed_on", day(report.closed_on, lang), lang))
    if report.withdrawn_on:
        facts.append(field("field.withdrawn_on", day(report.withdrawn_on, lang), lang))
    return facts


def _period(report: SharedReport, lang: str) -> str:
    start, end = day(report.period_start, lang), day(report.period_end, lang)
    if start == end:
        return start
    return t("export.period_range", lang, start=start, end=end)


def _report_messages(doc: Document, report: SharedReport, lang: str) -> None:
    if not report.messages:
        return
    doc.add(heading(2, t("export.messages", lang)))
    for m in report.messages:
        validated = (
            t("export.message_validated_on", lang, date=day(m.validated_on, lang))
            if m.validated_on is not None
            else t("export.message_validated", lang)  # session dates not reported
        )
        if m.session is not None:
            title = f"{t('export.session', lang)} {m.session} — {validated}"
        else:
            title = capital(validated)
        doc.add(heading(3, title), quote(m.text))


def _report_notes(doc: Document, report: SharedReport, lang: str) -> None:
    if not report.notes:
        return
    doc.add(heading(2, t("export.shared_notes", lang)))
    items = []
    for n in report.notes:
        meta = []
        if n.session is not None:
            meta.append(f"**{t('export.session', lang)} {n.session}**")
        if n.validated_on is not None:
            meta.append(t("export.note_validated_on", lang, date=day(n.validated_on, lang)))
        if meta:
            meta[0] = capital(meta[0])
        items.append(item(SEP.join(meta) + " — " if meta else "", n.text))
    doc.lines(items)


def _report_actions(doc: Document, report: SharedReport, lang: str) -> None:
    if not report.actions:
        return
    doc.add(heading(2, t("export.actions", lang)))
    doc.lines(
        [
            item(
                action_meta(act, lang, t(f"action.{act.status.value}", lang), session=act.session),
                act.text,
            )
            for act in report.actions
        ]
    )


def _report_competencies(doc: Document, report: SharedReport, lang: str) -> None:
    if report.competencies is None:  # not agreed to report
        return
    doc.add(heading(2, t("export.competencies", lang)))
    rows = [
        f"| {t('field.competency', lang)} | {t('fsac.start', lang)} | "
        f"{t('fsac.now', lang)} | {t('fsac.target', lang)} |",
        "|---|---|---|---|",
    ]
    rows += [
        f"| {cell(c.name)} | {level(c.start_level, lang)} | "
        f"{level(c.latest_level, lang)} | {level(c.target, lang)} |"
        for c in report.competencies
    ]
    doc.lines(rows if report.competencies else [t("export.none", lang)])


def _report_closing(doc: Document, report: SharedReport, lang: str) -> None:
    c = report.closing
    if c is None:
        return
    doc.add(heading(2, t("export.closing.title", lang)))
    if c.validated_on is not None:
        doc.add(f"_{t('export.closing.validated_on', lang, date=day(c.validated_on, lang))}_")
    else:
        doc.add(f"_{t('export.closing.validated', lang)}_")
    if c.synthesis.strip():
        doc.add(heading(3, t("export.closing.synthesis", lang)), quote(c.synthesis))
    if c.next_steps.strip():
        doc.add(heading(3, t("export.closing.next", lang)), quote(c.next_steps))


# -- the coach's confidential file -----------------------------------------------------------


def confidential_page_breaks(cf: ConfidentialFile, lang: str) -> tuple[str, ...]:
    """The h2 headings that start a new printed page: each session, the closing review."""
    headings = [session_heading(s.number, s.kind, s.held_on, lang) for s in cf.sessions]
    if _has_closing(cf.engagement):
        headings.append(t("export.closing.title", lang))
    return tuple(headings)


def confidential_markdown(cf: ConfidentialFile, lang: str) -> str:
    eng = cf.engagement
    doc = Document()
    banner = f"**{t('export.confidential.banner', lang)}**"
    doc.add(heading(1, f"{t('export.confidential.title', lang)} — {inline(eng.coachee)}"))
    doc.add(banner)
    doc.add(heading(2, t("export.engagement", lang)))
    doc.lines(_engagement_facts(cf, lang))
    agreement_section(doc, eng.agreement, lang)
    _framing(doc, eng, lang)
    objectives_section(doc, cf.objectives, lang)
    _competencies(doc, cf, lang)
    _tools(doc, cf, lang)
    for s in cf.sessions:
        doc.add(heading(2, session_heading(s.number, s.kind, s.held_on, lang)), banner)
        _session(doc, s, cf, lang)
    if _has_closing(eng):
        doc.add(heading(2, t("export.closing.title", lang)), banner)
        _closing(doc, eng, lang)
    _history(doc, cf.exports, lang)
    doc.add(banner)
    return doc.text()


def _has_closing(eng: Engagement) -> bool:
    return bool(eng.closing_synthesis.strip() or eng.closing_next.strip())


def _engagement_facts(cf: ConfidentialFile, lang: str) -> list[str]:
    eng = cf.engagement
    facts = [
        field("field.coachee", inline(eng.coachee), lang),
        field("field.sponsor", inline(eng.sponsor), lang),
        field("field.coach", inline(eng.coach) or "—", lang),
        field("field.organisation", inline(eng.organisation) or "—", lang),
        field("field.format", t(f"format.{eng.format.value}", lang), lang),
        field("field.status", t(f"status.{eng.status.value}", lang), lang),
        field("field.opened_on", day(eng.created_at.date(), lang), lang),
        field("field.planned_sessions", str(eng.planned_sessions), lang),
        field(
            "field.sessions_held",
            str(sum(1 for x in cf.sessions if counts_as_held(x.kind))),
            lang,
        ),
        field("field.cadence", t("cadence.days", lang, days=eng.cadence_days), lang),
    ]
    if eng.next_session:
        facts.append(field("field.next_session", day(eng.next_session, lang), lang))
    if eng.closed_on:
        facts.append(field("field.closed_on", day(eng.closed_on, lang), lang))
    if eng.withdrawn_on:
        facts.append(field("field.withdrawn_on", day(eng.withdrawn_on, lang), lang))
    return facts


_MOTIVATION = {
    "low": "export.motivation_low",
    "medium": "export.motivation_medium",
    "high": "export.motivation_high",
}


def _framing(doc: Document, eng: Engagement, lang: str) -> None:
    """Both parties' expectations and the coaching strategy (competence x motivation)."""
    framing = [
        ("field.coachee_expectations", eng.coachee_expectations),
        ("field.sponsor_expectations", eng.sponsor_expectations),
    ]
    grid = []
    if eng.strategy_competence is not None:
        grid.append(field("field.competence", level(eng.strategy_competence, lang), lang))
    if eng.strategy_motivation in _MOTIVATION:
        motivation = _MOTIVATION[eng.strategy_motivation]
        grid.append(field("field.motivation", t(motivation, lang), lang))
    if not (any(text.strip() for _, text in framing) or grid or eng.strategy.strip()):
        return
    doc.add(heading(2, t("export.framing", lang)))
    for key, text in framing:
        if text.strip():
            doc.add(heading(3, t(key, lang)), quote(text))
    if grid or eng.strategy.strip():
        doc.add(heading(3, t("field.strategy", lang)))
        doc.lines(grid)
        if eng.strategy.strip():
            doc.add(quote(eng.strategy))


def _competencies(doc: Document, cf: ConfidentialFile, lang: str) -> None:
    """Each competency: its levels, behaviours and every FSAC mark."""
    if not cf.competencies:
        return
    doc.add(heading(2, t("export.competencies", lang)))
    for c in cf.competencies:
        doc.add(heading(3, inline(c.name) or "—"))
        doc.lines(
            [
                field("fsac.start", level(c.start_level, lang), lang),
                field("fsac.target", level(c.target, lang), lang),
            ]
        )
        if any(b.strip() for b in c.behaviours):
            doc.add(f"{t('field.behaviours', lang)}{NBSP if lang == 'fr' else ''}:")
            doc.lines([item("", b) for b in c.behaviours if b.strip()])
        marks = [m for m in cf.assessments if m.competency_id == c.id]
        if marks:
            rows = [
                f"| {t('field.date', lang)} | {t('export.session', lang)} | "
                f"{t('field.assessor', lang)} | {t('field.timing', lang)} | "
                f"{t('field.level', lang)} |",
                "|---|---|---|---|---|",
            ]
            rows += [
                f"| {day(m.on, lang)} | {m.session or '—'} | "
                f"{t(f'assessor.{m.by.value}', lang)} | {t(f'timing.{m.timing.value}', lang)} | "
                f"{level(m.level, lang)} |"
                for m in marks
            ]
            doc.lines(rows)


def _tools(doc: Document, cf: ConfidentialFile, lang: str) -> None:
    if not cf.tools:
        return
    doc.add(heading(2, t("export.tools", lang)))
    items = []
    for tool in cf.tools:
        meta = [f"**{inline(tool.name) or '—'}**"]
        if tool.introduced_session is not None:
            meta.append(t("export.introduced", lang, number=tool.introduced_session))
        if tool.maturity:
            meta.append(
                ", ".join(f"{day(m.on, lang)} {level(m.level, lang)}" for m in tool.maturity)
            )
        if tool.description.strip():
            items.append(item(SEP.join(meta) + " — ", tool.description))
        else:
            items.append("- " + SEP.join(meta))
    doc.lines(items)


def _session(doc: Document, s: Session, cf: ConfidentialFile, lang: str) -> None:
    """One session, under its heading: its facts, the coachee's log, the message
    for the N+1, every note and action."""
    doc.lines(_session_facts(s, lang))
    if s.coachee_log.strip():
        doc.add(heading(3, t("field.coachee_log", lang)), quote(s.coachee_log))
    if s.sponsor_message.strip():
        v = s.sponsor_message_validation
        state = (
            t("export.message_validated_on", lang, date=day(v.at.date(), lang))
            if s.sponsor_message_validated and v is not None
            else t("export.not_validated", lang)
        )
        doc.add(heading(3, f"{t('export.message', lang)} — {state}"), quote(s.sponsor_message))
    notes = [n for n in cf.notes if n.session == s.number]
    if notes:
        doc.add(heading(3, t("export.notes", lang)))
        doc.lines([item(_note_meta(n, s.kind.value, lang), n.text) for n in notes])
    actions = [a for a in cf.actions if a.session == s.number]
    if actions:
        doc.add(heading(3, t("export.actions", lang)))
        doc.lines(
            [
                item(
                    action_meta(
                        act,
                        lang,
                        t(f"action.{act.status.value}", lang),
                        _visibility(act, lang, "export.action_validated_on"),
                    ),
                    act.text,
                )
                for act in actions
            ]
        )


def _session_facts(s: Session, lang: str) -> list[str]:
    """Hours, minutes per phase against their targets, cards drawn, the feeling."""
    facts = []
    if s.started_at and s.ended_at:
        facts.append(field("field.hours", f"{hour(s.started_at)}–{hour(s.ended_at)}", lang))
    timed = [p for p in s.phases if p.started_at and p.ended_at]
    if timed:
        facts.append(
            field(
                "field.phases",
                SEP.join(
                    t(
                        "export.phase_minutes",
                        lang,
                        phase=phase_label(s.kind.value, p.phase, lang),
                        minutes=round((p.ended_at - p.started_at).total_seconds() / 60),
                        target=p.target_minutes,
                    )
                    for p in timed
                    if p.started_at and p.ended_at
                ),
                lang,
            )
        )
    if s.cards_drawn:
        facts.append(
            field(
                "field.cards_drawn",
                SEP.join(
                    f"{t(f'role.{role.value}', lang)} {count}"
                    for role, count in s.cards_drawn.items()
                ),
                lang,
            )
        )
    if s.feeling is not None:
        value = f"{s.feeling}/5"
        if s.feeling_note.strip():
            facts.append(item(f"{label(t('field.feeling', lang), lang)}{value} — ", s.feeling_note))
        else:
            facts.append(field("field.feeling", value, lang))
    return facts


def _visibility(thing: Note | Action, lang: str, validated_key: str) -> str:
    if thing.visibility is Visibility.PRIVATE:
        return t("export.private", lang)  # a note, an action: feminine in French
    if thing.validated and thing.validation is not None:
        when = t(validated_key, lang, date=day(thing.validation.at.date(), lang))
        return f"{t(f'visibility.{thing.visibility.value}', lang)}, {when}"
    return f"{t(f'visibility.{thing.visibility.value}', lang)}, {t('export.not_validated', lang)}"


def _note_meta(n: Note, kind: str, lang: str) -> str:
    tags = [phase_label(kind, n.phase, lang)]
    if n.role:
        tags.append(t(f"role.{n.role.value}", lang))
    tags.append(t(f"kind.{n.kind.value}", lang))
    tags.append(_visibility(n, lang, "export.note_validated_on"))
    return f"_{SEP.join(tags)}_ — "


def _closing(doc: Document, eng: Engagement, lang: str) -> None:
    """The closing review, under its heading: validated or not, and its two texts."""
    v = eng.closing_validation
    if eng.closing_validated and v is not None:
        doc.add(f"_{t('export.closing.validated_on', lang, date=day(v.at.date(), lang))}_")
    else:
        doc.add(f"_{t('export.closing.not_validated', lang)}_")
    if eng.closing_synthesis.strip():
        doc.add(heading(3, t("export.closing.synthesis", lang)), quote(eng.closing_synthesis))
    if eng.closing_next.strip():
        doc.add(heading(3, t("export.closing.next", lang)), quote(eng.closing_next))


def _history(doc: Document, exports: list[ExportRecord], lang: str) -> None:
    """What left the store: when, for whom, in which format, under which name."""
    if not exports:
        return
    doc.add(heading(2, t("export.history", lang)))
    doc.lines(
        [
            f"- {day(e.at.date(), lang)} {hour(e.at)} — {t(f'audience.{e.audience.value}', lang)}"
            + (f" ({t('export.session', lang).lower()} {e.session})" if e.session else "")
            + f", {e.format} → {code(e.filename)}"
            for e in exports
        ]
    )


# -- the coachee's recap of one session --------------------------------------------------------


def recap_markdown(recap: SessionRecap, lang: str) -> str:
    doc = Document()
    doc.add(
        heading(
            1,
            f"{t('export.recap.title', lang, number=recap.session)} — {inline(recap.coachee)}",
        )
    )
    doc.add(f"_{t('export.recap.notice', lang)}_")
    kind = t(f"session.kind.{recap.kind.value}", lang)
    facts = [f"- {t('export.kind_on', lang, kind=kind, date=day(recap.held_on, lang))}"]
    if recap.coach.strip():
        facts.append(field("field.coach", inline(recap.coach), lang))
    if recap.next_session:
        facts.append(field("export.recap.next", day(recap.next_session, lang), lang))
    doc.lines(facts)

    doc.add(heading(2, t("export.actions", lang)))
    if recap.actions:
        doc.lines([item(action_meta(act, lang), act.text) for act in recap.actions])
    else:
        doc.add(f"_{t('export.recap.no_action', lang)}_")

    doc.add(heading(2, t("export.message", lang)))
    if recap.message:
        doc.add(quote(recap.message))
    else:
        doc.add(f"_{t('export.recap.no_message', lang)}_")

    if recap.notes:
        doc.add(heading(2, t("export.shared_notes", lang)))
        doc.lines([item("", text) for text in recap.notes])
    return doc.text()


__all__ = [
    "confidential_markdown",
    "confidential_page_breaks",
    "recap_markdown",
    "shared_markdown",
]
