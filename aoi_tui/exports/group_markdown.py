"""A collective engagement's documents in Markdown: the report for one N+1
(`GroupReport`), the group's recap and a participant's recap of a session, and
the coach's confidential file by person and for the group. HTML is made from
this Markdown, as for an individual engagement (`render_html`).

Every typed text goes through `markdown_safety`, as in `render_markdown`."""

from __future__ import annotations

from collections.abc import Sequence

from aoi_tui.config.i18n import t
from aoi_tui.domain.concerns import concerned
from aoi_tui.domain.models import (
    Action,
    Engagement,
    Note,
    Objective,
    Participant,
    Session,
    Validation,
    Visibility,
)
from aoi_tui.domain.vocabulary import counts_as_held
from aoi_tui.exports.confidential_file import ConfidentialFile
from aoi_tui.exports.group_documents import (
    GroupAction,
    GroupEntry,
    GroupRecap,
    GroupReport,
    ParticipantRecap,
)
from aoi_tui.exports.markdown_parts import (
    SEP,
    action_meta,
    day,
    field,
    label,
    level,
    phase_label,
    session_heading,
)
from aoi_tui.exports.markdown_safety import Document, heading, inline, item, lead, quote

# the confidential file's parts an individual's and a group's share (framing,
# competencies and FSAC marks, tools, a session's facts, what left the store)
from aoi_tui.exports.render_markdown import (
    _competencies,
    _framing,
    _history,
    _session_facts,
    _tools,
)


def _about(about: list[str] | None, lang: str, also: bool = False) -> str:
    """Whom an item concerns, in words; `also`: in a participant's own recap, the
    others it concerns besides them."""
    if about is None:
        return t("export.group.for_group", lang)
    if not about:
        return ""
    key = "export.group.also_about" if also else "export.group.about"
    return t(key, lang, names=", ".join(inline(n) for n in about))


def _entry_meta(
    e: GroupEntry, lang: str, validated_key: str | None = None, also: bool = False
) -> str:
    who = _about(e.about, lang, also)
    parts = [f"**{who}**"] if who else []
    if e.session is not None:
        parts.append(f"{t('export.session', lang).lower()} {e.session}")
    if validated_key and e.validated_on:
        parts.append(t(validated_key, lang, date=day(e.validated_on, lang)))
    return SEP.join(parts) + " — " if parts else ""


def _action_line(a: GroupAction, lang: str, *, session: bool = True, also: bool = False) -> str:
    who = _about(a.about, lang, also)
    details = [who] if who else []
    if a.validated_on:
        details.append(t("export.action_validated_on", lang, date=day(a.validated_on, lang)))
    return item(
        action_meta(a, lang, *details, session=a.session if session else None),
        a.text,
    )


# -- the report for one N+1 ---------------------------------------------------------------


def group_report_markdown(report: GroupReport, lang: str) -> str:
    doc = Document()
    doc.add(heading(1, f"{t('export.shared.title', lang)} — {inline(report.group)}"))
    doc.add(f"_{t('export.group.report_notice', lang)}_")
    doc.add(heading(2, t("export.engagement", lang)))
    facts = [
        field("export.group.name", inline(report.group), lang),
        field("export.group.form_label", t(f"export.group.form.{report.form.value}", lang), lang),
        field("field.sponsor", inline(report.sponsor), lang),
        field("field.coach", inline(report.coach) or "—", lang),
        field("field.organisation", inline(report.organisation) or "—", lang),
        field("field.status", t(f"status.{report.status.value}", lang), lang),
        field("field.planned_sessions", str(report.planned_sessions), lang),
    ]
    if report.closed_on:
        facts.append(field("field.closed_on", day(report.closed_on, lang), lang))
    doc.lines(facts)
    if report.participants:
        doc.add(heading(2, t("export.group.participants", lang)))
        doc.lines([f"- {lead(n)}" for n in report.participants])
    if report.sessions:
        doc.add(heading(2, t("export.sessions", lang)))
        lines = []
        for s in report.sessions:
            line = f"- {session_heading(s.number, s.kind, s.held_on, lang)}"
            if s.present:
                line += (
                    SEP
                    + label(t("export.group.present", lang), lang)
                    + ", ".join(inline(n) for n in s.present)
                )
            lines.append(line)
        doc.lines(lines)
    if report.objectives:
        doc.add(heading(2, t("export.objectives", lang)))
        doc.lines(
            [
                "- "
                + (f"**{_about(o.about, lang)}** — " if _about(o.about, lang) else "")
                + lead(o.statement)
                + (
                    f"\n  {field('field.indicator', inline(o.indicator), lang)}"
                    if o.indicator.strip()
                    else ""
                )
                + (
                    f"\n  {field('field.expected_result', inline(o.expected_result), lang)}"
                    if o.expected_result.strip()
                    else ""
                )
                + (
                    f"\n  {field('field.progress', t(f'objective.{o.status.value}', lang), lang)}"
                    if o.status is not None
                    else ""
                )
                for o in report.objectives
            ]
        )
    if report.messages:
        doc.add(heading(2, t("export.messages", lang)))
        doc.lines(
            [
                item(_entry_meta(m, lang, "export.message_validated_on"), m.text)
                for m in report.messages
            ]
        )
    if report.notes:
        doc.add(heading(2, t("export.group.notes", lang)))
        doc.lines(
            [item(_entry_meta(n, lang, "export.note_validated_on"), n.text) for n in report.notes]
        )
    if report.actions:
        doc.add(heading(2, t("export.actions", lang)))
        doc.lines([_action_line(a, lang) for a in report.actions])
    if report.competencies:
        doc.add(heading(2, t("export.competencies", lang)))
        doc.lines(
            [
                "- "
                + (f"**{_about(c.about, lang)}** — " if _about(c.about, lang) else "")
                + f"{lead(c.name)}: {level(c.start_level, lang)} → "
                + f"{level(c.latest_level, lang)} ({t('fsac.target', lang)} "
                + f"{level(c.target, lang)})"
                for c in report.competencies
            ]
        )
    if report.closing:
        doc.add(heading(2, t("export.closing.title", lang)))
        if report.closing.synthesis.strip():
            doc.add(
                heading(3, t("export.closing.synthesis", lang)), quote(report.closing.synthesis)
            )
        if report.closing.next_steps.strip():
            doc.add(heading(3, t("export.closing.next", lang)), quote(report.closing.next_steps))
    if report.validation_dates:
        doc.add(heading(2, t("export.group.validations", lang)))
        doc.lines([f"- {day(d, lang)}" for d in report.validation_dates])
    return doc.text()


# -- the recaps ---------------------------------------------------------------------------


def _recap_head(
    doc: Document, title: str, kind: str, held: str, coach: str, lang: str, absent: bool = False
) -> None:
    doc.add(heading(1, title))
    notice = "export.group.recap_absent" if absent else "export.group.recap_notice"
    doc.add(f"_{t(notice, lang)}_")
    facts = [f"- {t('export.kind_on', lang, kind=kind, date=held)}"]
    if coach.strip():
        facts.append(field("field.coach", inline(coach), lang))
    doc.lines(facts)


def group_recap_markdown(recap: GroupRecap, lang: str) -> str:
    doc = Document()
    title = f"{t('export.recap.title', lang, number=recap.session)} — {inline(recap.group)}"
    kind = t(f"session.kind.{recap.kind.value}", lang)
    _recap_head(doc, title, kind, day(recap.held_on, lang), recap.coach, lang)
    doc.add(heading(2, t("export.actions", lang)))
    if recap.actions:
        doc.lines([item(action_meta(a, lang), a.text) for a in recap.actions])
    else:
        doc.add(f"_{t('export.recap.no_action', lang)}_")
    doc.add(heading(2, t("export.message", lang)))
    doc.add(quote(recap.message) if recap.message else f"_{t('export.recap.no_message', lang)}_")
    if recap.notes:
        doc.add(heading(2, t("export.group.group_notes", lang)))
        doc.lines([item("", text) for text in recap.notes])
    return doc.text()


def participant_recap_markdown(recap: ParticipantRecap, lang: str) -> str:
    doc = Document()
    title = (
        f"{t('export.recap.title', lang, number=recap.session)} — {inline(recap.participant)}"
        f" ({inline(recap.group)})"
    )
    kind = t(f"session.kind.{recap.kind.value}", lang)
    _recap_head(doc, title, kind, day(recap.held_on, lang), recap.coach, lang, recap.absent)
    doc.add(heading(2, t("export.actions", lang)))
    if recap.actions:
        doc.lines([_action_line(a, lang, session=False, also=True) for a in recap.actions])
    else:
        doc.add(f"_{t('export.recap.no_action', lang)}_")
    doc.add(heading(2, t("export.message", lang)))
    doc.add(quote(recap.message) if recap.message else f"_{t('export.recap.no_message', lang)}_")
    if recap.notes:
        doc.add(heading(2, t("export.group.recap_notes", lang)))
        doc.lines(
            [
                item(_entry_meta(n.model_copy(update={"session": None}), lang, also=True), n.text)
                for n in recap.notes
            ]
        )
    return doc.text()


# -- the coach's confidential file, by person and for the group ---------------------------


def group_confidential_markdown(cf: ConfidentialFile, lang: str) -> str:
    eng = cf.engagement
    doc = Document()
    banner = f"**{t('export.confidential.banner', lang)}**"
    doc.add(heading(1, f"{t('export.confidential.title', lang)} — {inline(eng.group)}"))
    doc.add(banner)
    doc.add(heading(2, t("export.engagement", lang)))
    held = sum(1 for s in cf.sessions if counts_as_held(s.kind))
    facts = [
        field("export.group.name", inline(eng.group), lang),
        field("export.group.form_label", t(f"export.group.form.{eng.form.value}", lang), lang),
        field("field.sponsor", inline(eng.sponsor) or "—", lang),
        field("field.coach", inline(eng.coach) or "—", lang),
        field("field.organisation", inline(eng.organisation) or "—", lang),
        field("field.format", t(f"format_group.{eng.format.value}", lang), lang),
        field("field.status", t(f"status.{eng.status.value}", lang), lang),
        field("field.opened_on", day(eng.created_at.date(), lang), lang),
        field("field.planned_sessions", str(eng.planned_sessions), lang),
        field("field.sessions_held", str(held), lang),
    ]
    if eng.closed_on:
        facts.append(field("field.closed_on", day(eng.closed_on, lang), lang))
    doc.lines(facts)
    if eng.charter is not None:
        c = eng.charter
        doc.add(heading(2, t("export.group.charter", lang)))
        for key, text in (
            ("export.group.charter_confidentiality", c.confidentiality),
            ("export.group.charter_attendance", c.attendance),
            ("export.group.charter_recipients", c.recipients),
            ("export.group.charter_leaving", c.leaving),
        ):
            if text.strip():
                doc.add(heading(3, t(key, lang)), quote(text))
        doc.lines(
            [
                field(
                    "export.group.charter_to_sponsors",
                    t("yes" if c.group_items_to_sponsors else "no", lang),
                    lang,
                )
            ]
        )
    doc.add(heading(2, t("export.group.participants", lang)))
    for p in eng.participants:
        doc.add(heading(3, inline(p.name)))
        doc.lines(_participant_facts(p, eng, lang))
    _framing(doc, eng, lang)
    if cf.objectives:
        doc.add(heading(2, t("export.objectives", lang)))
        doc.lines(
            [
                f"- **{_concern(o, eng, lang)}** — {inline(o.statement)}"
                + "".join(
                    f"\n  {field(key, inline(text), lang)}"
                    for key, text in (
                        ("field.indicator", o.indicator),
                        ("field.expected_result", o.expected_result),
                    )
                    if text.strip()
                )
                + f"\n  {field('field.progress', t(f'objective.{o.status.value}', lang), lang)}"
                for o in cf.objectives
            ]
        )
    _competencies(doc, cf, lang)
    _tools(doc, cf, lang)
    for title, items in _by_person(cf, eng, lang):
        doc.add(heading(2, title))
        if not items:
            doc.add("—")
        doc.lines(items)
    for s in cf.sessions:
        doc.add(heading(2, session_heading(s.number, s.kind, s.held_on, lang)), banner)
        doc.lines(_session_people(s, eng, lang) + _session_facts(s, lang))
        if s.coachee_log.strip():
            doc.add(heading(3, t("field.coachee_log", lang)), quote(s.coachee_log))
        if s.sponsor_message.strip():
            who = _validated_by(s.sponsor_message_validations, eng, lang)
            doc.add(
                heading(3, f"{t('export.message', lang)} — {_concern(s, eng, lang, message=True)}"),
                f"_{who}_",
                quote(s.sponsor_message),
            )
    if eng.closing_synthesis.strip() or eng.closing_next.strip():
        doc.add(heading(2, t("export.closing.title", lang)), banner)
        doc.add(f"_{_validated_by(eng.closing_validations, eng, lang)}_")
        if eng.closing_synthesis.strip():
            doc.add(heading(3, t("export.closing.synthesis", lang)), quote(eng.closing_synthesis))
        if eng.closing_next.strip():
            doc.add(heading(3, t("export.closing.next", lang)), quote(eng.closing_next))
    _history(doc, cf.exports, lang)
    doc.add(banner)
    return doc.text()


def _yes(value: bool, lang: str) -> str:
    return t("yes" if value else "no", lang)


def _participant_facts(p: Participant, eng: Engagement, lang: str) -> list[str]:
    facts = []
    if p.function.strip():
        facts.append(field("export.group.function", inline(p.function), lang))
    if p.sponsor.strip():
        facts.append(field("field.sponsor", inline(p.sponsor), lang))
    facts += [
        field("field.consent_date", day(p.agreement.consent_date, lang), lang),
        field("export.group.joined_on", day(p.joined_on, lang), lang),
    ]
    if p.withdrawn_on:
        facts.append(field("field.withdrawn_on", day(p.withdrawn_on, lang), lang))
    facts += [
        field("export.group.own_items", _yes(p.report_own_items, lang), lang),
        field("field.report_attendance", _yes(p.agreement.report_attendance, lang), lang),
        field("field.report_competencies", _yes(p.agreement.report_competencies, lang), lang),
        field("export.group.charter_agreed", _yes(p.agreed_to(eng.charter), lang), lang),
    ]
    return facts


def _name(pid: str, eng: Engagement) -> str:
    p = eng.member(pid)
    return inline(p.name) if p else "—"


def _concern(
    thing: Note | Action | Session | Objective,
    eng: Engagement,
    lang: str,
    message: bool = False,
) -> str:
    from aoi_tui.domain.items import Message

    c = concerned(Message(thing) if message and isinstance(thing, Session) else thing, eng)
    if c.group:
        return t("export.group.for_group", lang)
    if not c.people:
        return t("export.group.nobody", lang)
    return t("export.group.about", lang, names=", ".join(_name(i, eng) for i in sorted(c.people)))


def _validated_by(validations: Sequence[Validation], eng: Engagement, lang: str) -> str:
    if not validations:
        return t("export.group.not_validated", lang)
    return t(
        "export.group.validated_by",
        lang,
        names=", ".join(
            f"{_name(v.by, eng) if v.by else '—'} ({day(v.at.date(), lang)})" for v in validations
        ),
    )


def _state(thing: Note | Action, eng: Engagement, lang: str) -> str:
    if thing.visibility is Visibility.PRIVATE:
        return t("export.private", lang)
    from aoi_tui.domain.models import text_hash

    holding = [v for v in thing.validations if v.holds_for(text_hash(thing.text))]
    return f"{t('visibility.shareable', lang)}, {_validated_by(holding, eng, lang)}"


def _by_person(cf: ConfidentialFile, eng: Engagement, lang: str) -> list[tuple[str, list[str]]]:
    """Notes and actions for the group, then about each participant (an item about
    several people is under each of them), then those that concern no one known."""
    kinds = {s.number: s.kind.value for s in cf.sessions}
    entries: list[tuple[Note | Action, str]] = []
    for n in cf.notes:
        tags = [f"{t('export.session', lang).lower()} {n.session}"]
        tags.append(phase_label(kinds.get(n.session, ""), n.phase, lang))
        if n.role:
            tags.append(t(f"role.{n.role.value}", lang))
        tags.append(t(f"kind.{n.kind.value}", lang))
        tags.append(_state(n, eng, lang))
        entries.append((n, f"_{SEP.join(tags)}_ — "))
    for a in cf.actions:
        meta = action_meta(
            a, lang, t(f"action.{a.status.value}", lang), _state(a, eng, lang), session=a.session
        )
        entries.append((a, meta))
    sections: list[tuple[str, list[str]]] = []
    group = [item(m, x.text) for x, m in entries if concerned(x, eng).group]
    sections.append((t("export.group.for_group", lang), group))
    for p in eng.participants:
        mine = []
        for x, m in entries:
            c = concerned(x, eng)
            if p.id in c.people:
                others = [_name(i, eng) for i in sorted(c.people) if i != p.id]
                extra = f"{t('export.group.with', lang)} {', '.join(others)}{SEP}" if others else ""
                mine.append(item(extra + m, x.text))
        sections.append((t("export.group.about", lang, names=inline(p.name)), mine))
    nobody = [item(m, x.text) for x, m in entries if concerned(x, eng).nobody]
    if nobody:
        sections.append((t("export.group.nobody", lang), nobody))
    return sections


def _session_people(s: Session, eng: Engagement, lang: str) -> list[str]:
    lines = []
    if s.participant:
        lines.append(field("export.group.one_to_one", _name(s.participant, eng), lang))
    if s.attendance is not None:
        lines.append(
            field(
                "export.group.present",
                ", ".join(_name(i, eng) for i in s.attendance) or "—",
                lang,
            )
        )
    if s.case_bringer:
        lines.append(field("export.group.case_bringer", _name(s.case_bringer, eng), lang))
    return lines


__all__ = [
    "group_confidential_markdown",
    "group_recap_markdown",
    "group_report_markdown",
    "participant_recap_markdown",
]
