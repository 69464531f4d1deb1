"""A collective engagement's documents in Word: the report for one N+1
(`GroupReport`), the group's and a participant's recap of a session, and the
coach's confidential file by person and for the group. The same models and the
same sections as `group_markdown` (never its text), as `WordDocument`s that
`docx_file` writes; python-docx loads only when one is asked for."""

from __future__ import annotations

from collections.abc import Sequence

from aoi_tui.config.i18n import t
from aoi_tui.domain.concerns import concerned
from aoi_tui.domain.models import (
    Action,
    Engagement,
    Note,
    Participant,
    Session,
    Validation,
    Visibility,
    text_hash,
)
from aoi_tui.domain.vocabulary import Audience, counts_as_held
from aoi_tui.exports.confidential_file import ConfidentialFile, build_confidential_file
from aoi_tui.exports.group_documents import (
    GroupAction,
    GroupEntry,
    GroupRecap,
    GroupReport,
    ParticipantRecap,
    build_group_recap,
    build_group_report,
    build_participant_recap,
    the_participant,
    the_sponsor,
)
from aoi_tui.exports.markdown_parts import (
    SEP,
    capital,
    day,
    label,
    level,
    phase_label,
    session_heading as session_title,
)
from aoi_tui.exports.markdown_safety import inline
from aoi_tui.exports.render_word import Run, WordDocument, lines_of
from aoi_tui.store.store import Store


def _about(about: list[str] | None, lang: str, also: bool = False) -> str:
    """Whom an item concerns, in words (`also`: the others besides the reader)."""
    if about is None:
        return t("export.group.for_group", lang)
    if not about:
        return ""
    key = "export.group.also_about" if also else "export.group.about"
    return t(key, lang, names=", ".join(inline(n) for n in about))


def _entry(
    doc: WordDocument, e: GroupEntry, validated_key: str | None = None, also: bool = False
) -> None:
    lang = doc.lang
    who = _about(e.about, lang, also)
    rest = []
    if e.session is not None:
        rest.append(f"{t('export.session', lang).lower()} {e.session}")
    if validated_key and e.validated_on:
        rest.append(t(validated_key, lang, date=day(e.validated_on, lang)))
    meta = (SEP if who and rest else "") + SEP.join(rest)
    doc.bullet(
        Run(who, bold=True),
        Run(meta),
        Run(" — " if who or rest else ""),
        Run(lines_of(e.text)),
    )


def _action(doc: WordDocument, a: GroupAction, *, session: bool = True, also: bool = False) -> None:
    lang = doc.lang
    parts = []
    if session and a.session is not None:
        parts.append(f"{t('export.session', lang).lower()} {a.session}")
    if a.due:
        parts.append(f"{t('field.due', lang)} {day(a.due, lang)}")
    who = _about(a.about, lang, also)
    if who:
        parts.append(who)
    if a.validated_on:
        parts.append(t("export.action_validated_on", lang, date=day(a.validated_on, lang)))
    doc.bullet(
        Run(capital(t(f"owner.{a.owner.value}", lang)), bold=True),
        Run((SEP + SEP.join(parts) if parts else "") + " — "),
        Run(lines_of(a.text)),
    )


# -- the report for one N+1 ---------------------------------------------------------------


def group_report_word(report: GroupReport, lang: str) -> WordDocument:
    doc = WordDocument(title=t("export.shared.title", lang), lang=lang)
    doc.heading(1, f"{t('export.shared.title', lang)} — {report.group}")
    doc.notice(t("export.group.report_notice", lang))
    doc.heading(2, t("export.engagement", lang))
    doc.fact("export.group.name", inline(report.group))
    doc.fact("export.group.form_label", t(f"export.group.form.{report.form.value}", lang))
    doc.fact("field.sponsor", inline(report.sponsor))
    doc.fact("field.coach", inline(report.coach) or "—")
    doc.fact("field.organisation", inline(report.organisation) or "—")
    doc.fact("field.status", t(f"status.{report.status.value}", lang))
    doc.fact("field.planned_sessions", str(report.planned_sessions))
    if report.closed_on:
        doc.fact("field.closed_on", day(report.closed_on, lang))
    if report.participants:
        doc.heading(2, t("export.group.participants", lang))
        for name in report.participants:
            doc.bullet(Run(inline(name)))
    if report.sessions:
        doc.heading(2, t("export.sessions", lang))
        for s in report.sessions:
            runs = [Run(session_title(s.number, s.kind, s.held_on, lang))]
            if s.present:
                runs.append(Run(SEP + label(t("export.group.present", lang), lang)))
                runs.append(Run(", ".join(inline(n) for n in s.present)))
            doc.bullet(*runs)
    if report.objectives:
        doc.heading(2, t("export.objectives", lang))
        for o in report.objectives:
            who = _about(o.about, lang)
            doc.bullet(Run(who, bold=True), Run(" — " if who else ""), Run(inline(o.statement)))
            if o.indicator.strip():
                doc.fact("field.indicator", inline(o.indicator), nested=True)
            if o.expected_result.strip():
                doc.fact("field.expected_result", inline(o.expected_result), nested=True)
            if o.status is not None:
                doc.fact("field.progress", t(f"objective.{o.status.value}", lang), nested=True)
    if report.messages:
        doc.heading(2, t("export.messages", lang))
        for m in report.messages:
            _entry(doc, m, "export.message_validated_on")
    if report.notes:
        doc.heading(2, t("export.group.notes", lang))
        for n in report.notes:
            _entry(doc, n, "export.note_validated_on")
    if report.actions:
        doc.heading(2, t("export.actions", lang))
        for a in report.actions:
            _action(doc, a)
    if report.competencies:
        doc.heading(2, t("export.competencies", lang))
        doc.table(
            [
                t("field.competency", lang),
                t("fsac.start", lang),
                t("fsac.now", lang),
                t("fsac.target", lang),
            ],
            [
                [
                    (inline(c.name) or "—")
                    + (f" — {_about(c.about, lang)}" if _about(c.about, lang) else ""),
                    level(c.start_level, lang),
                    level(c.latest_level, lang),
                    level(c.target, lang),
                ]
                for c in report.competencies
            ],
        )
    if report.closing:
        doc.heading(2, t("export.closing.title", lang))
        if report.closing.synthesis.strip():
            doc.heading(3, t("export.closing.synthesis", lang))
            doc.quote(report.closing.synthesis)
        if report.closing.next_steps.strip():
            doc.heading(3, t("export.closing.next", lang))
            doc.quote(report.closing.next_steps)
    if report.validation_dates:
        doc.heading(2, t("export.group.validations", lang))
        for d in report.validation_dates:
            doc.bullet(Run(day(d, lang)))
    return doc


# -- the recaps ---------------------------------------------------------------------------


def _recap_head(doc: WordDocument, heading: str, recap: GroupRecap | ParticipantRecap) -> None:
    lang = doc.lang
    doc.heading(1, heading)
    absent = isinstance(recap, ParticipantRecap) and recap.absent
    doc.notice(t("export.group.recap_absent" if absent else "export.group.recap_notice", lang))
    kind = t(f"session.kind.{recap.kind.value}", lang)
    doc.bullet(Run(t("export.kind_on", lang, kind=kind, date=day(recap.held_on, lang))))
    if recap.coach.strip():
        doc.fact("field.coach", inline(recap.coach))


def _message(doc: WordDocument, message: str | None) -> None:
    doc.heading(2, t("export.message", doc.lang))
    if message:
        doc.quote(message)
    else:
        doc.notice(t("export.recap.no_message", doc.lang))


def group_recap_word(recap: GroupRecap, lang: str) -> WordDocument:
    title = t("export.recap.title", lang, number=recap.session)
    doc = WordDocument(title=title, lang=lang)
    _recap_head(doc, f"{title} — {recap.group}", recap)
    doc.heading(2, t("export.actions", lang))
    for a in recap.actions:
        _action(doc, a, session=False)
    if not recap.actions:
        doc.notice(t("export.recap.no_action", lang))
    _message(doc, recap.message)
    if recap.notes:
        doc.heading(2, t("export.group.group_notes", lang))
        for text in recap.notes:
            doc.bullet(Run(lines_of(text)))
    return doc


def participant_recap_word(recap: ParticipantRecap, lang: str) -> WordDocument:
    title = t("export.recap.title", lang, number=recap.session)
    doc = WordDocument(title=title, lang=lang)
    _recap_head(doc, f"{title} — {recap.participant} ({recap.group})", recap)
    doc.heading(2, t("export.actions", lang))
    for a in recap.actions:
        _action(doc, a, session=False, also=True)
    if not recap.actions:
        doc.notice(t("export.recap.no_action", lang))
    _message(doc, recap.message)
    if recap.notes:
        doc.heading(2, t("export.group.recap_notes", lang))
        for n in recap.notes:
            _entry(doc, n.model_copy(update={"session": None}), also=True)
    return doc


# -- the coach's confidential file, by person and for the group ---------------------------


def group_confidential_word(cf: ConfidentialFile, lang: str) -> WordDocument:
    eng = cf.engagement
    banner = t("export.confidential.banner", lang)
    doc = WordDocument(title=t("export.confidential.title", lang), lang=lang, banner=banner)
    doc.heading(1, f"{t('export.confidential.title', lang)} — {eng.group}")
    doc.para(Run(banner, bold=True), style="banner")
    doc.heading(2, t("export.engagement", lang))
    doc.fact("export.group.name", inline(eng.group))
    doc.fact("export.group.form_label", t(f"export.group.form.{eng.form.value}", lang))
    doc.fact("field.sponsor", inline(eng.sponsor) or "—")
    doc.fact("field.coach", inline(eng.coach) or "—")
    doc.fact("field.organisation", inline(eng.organisation) or "—")
    doc.fact("field.format", t(f"format_group.{eng.format.value}", lang))
    doc.fact("field.status", t(f"status.{eng.status.value}", lang))
    doc.fact("field.opened_on", day(eng.created_at.date(), lang))
    doc.fact("field.planned_sessions", str(eng.planned_sessions))
    doc.fact("field.sessions_held", str(sum(1 for s in cf.sessions if counts_as_held(s.kind))))
    if eng.closed_on:
        doc.fact("field.closed_on", day(eng.closed_on, lang))
    _charter(doc, eng)
    doc.heading(2, t("export.group.participants", lang))
    for p in eng.participants:
        doc.heading(3, inline(p.name) or "—")
        _participant_facts(doc, p, eng)
    if cf.objectives:
        doc.heading(2, t("export.objectives", lang))
        for o in cf.objectives:
            doc.bullet(Run(inline(o.statement) or "—", bold=True))
            if o.area is not None:
                doc.fact("field.area", t(f"area.{o.area.value}", lang), nested=True)
            if o.indicator.strip():
                doc.fact("field.indicator", inline(o.indicator), nested=True)
            if o.expected_result.strip():
                doc.fact("field.expected_result", inline(o.expected_result), nested=True)
            if o.status is not None:
                doc.fact("field.progress", t(f"objective.{o.status.value}", lang), nested=True)
    _by_person(doc, cf, eng)
    for s in cf.sessions:
        doc.heading(2, session_title(s.number, s.kind, s.held_on, lang), new_page=True)
        _session_people(doc, s, eng)
        if s.coachee_log.strip():
            doc.heading(3, t("field.coachee_log", lang))
            doc.quote(s.coachee_log)
        if s.sponsor_message.strip():
            doc.heading(3, f"{t('export.message', lang)} — {_concern(s, eng, lang, message=True)}")
            doc.notice(_validated_by(s.sponsor_message_validations, eng, lang))
            doc.quote(s.sponsor_message)
    if eng.closing_synthesis.strip() or eng.closing_next.strip():
        doc.heading(2, t("export.closing.title", lang), new_page=True)
        doc.notice(_validated_by(eng.closing_validations, eng, lang))
        if eng.closing_synthesis.strip():
            doc.heading(3, t("export.closing.synthesis", lang))
            doc.quote(eng.closing_synthesis)
        if eng.closing_next.strip():
            doc.heading(3, t("export.closing.next", lang))
            doc.quote(eng.closing_next)
    return doc


def _charter(doc: WordDocument, eng: Engagement) -> None:
    lang = doc.lang
    c = eng.charter
    if c is None:
        return
    doc.heading(2, t("export.group.charter", lang))
    for key, text in (
        ("export.group.charter_confidentiality", c.confidentiality),
        ("export.group.charter_attendance", c.attendance),
        ("export.group.charter_recipients", c.recipients),
        ("export.group.charter_leaving", c.leaving),
    ):
        if text.strip():
            doc.heading(3, t(key, lang))
            doc.quote(text)
    doc.fact("export.group.charter_to_sponsors", _yes(c.group_items_to_sponsors, lang))


def _yes(value: bool, lang: str) -> str:
    return t("yes" if value else "no", lang)


def _participant_facts(doc: WordDocument, p: Participant, eng: Engagement) -> None:
    lang = doc.lang
    if p.function.strip():
        doc.fact("export.group.function", inline(p.function))
    if p.sponsor.strip():
        doc.fact("field.sponsor", inline(p.sponsor))
    doc.fact("field.consent_date", day(p.agreement.consent_date, lang))
    doc.fact("export.group.joined_on", day(p.joined_on, lang))
    if p.withdrawn_on:
        doc.fact("field.withdrawn_on", day(p.withdrawn_on, lang))
    doc.fact("export.group.own_items", _yes(p.report_own_items, lang))
    doc.fact("field.report_attendance", _yes(p.agreement.report_attendance, lang))
    doc.fact("field.report_competencies", _yes(p.agreement.report_competencies, lang))
    doc.fact("export.group.charter_agreed", _yes(p.agreed_to(eng.charter), lang))


def _name(pid: str, eng: Engagement) -> str:
    p = eng.member(pid)
    return inline(p.name) if p else "—"


def _concern(
    thing: Note | Action | Session, eng: Engagement, lang: str, message: bool = False
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
    holding = [v for v in thing.validations if v.holds_for(text_hash(thing.text))]
    return f"{t('visibility.shareable', lang)}, {_validated_by(holding, eng, lang)}"


def _by_person(doc: WordDocument, cf: ConfidentialFile, eng: Engagement) -> None:
    """Notes and actions for the group, then about each participant (an item about
    several people is under each of them), then those that concern no one known."""
    lang = doc.lang
    kinds = {s.number: s.kind.value for s in cf.sessions}
    entries: list[tuple[Note | Action, Run]] = []
    for n in cf.notes:
        tags = [f"{t('export.session', lang).lower()} {n.session}"]
        tags.append(phase_label(kinds.get(n.session, ""), n.phase, lang))
        if n.role:
            tags.append(t(f"role.{n.role.value}", lang))
        tags.append(t(f"kind.{n.kind.value}", lang))
        tags.append(_state(n, eng, lang))
        entries.append((n, Run(SEP.join(tags), italic=True)))
    for a in cf.actions:
        parts = [capital(t(f"owner.{a.owner.value}", lang))]
        parts.append(f"{t('export.session', lang).lower()} {a.session}")
        if a.due:
            parts.append(f"{t('field.due', lang)} {day(a.due, lang)}")
        parts += [t(f"action.{a.status.value}", lang), _state(a, eng, lang)]
        entries.append((a, Run(SEP.join(parts), italic=True)))

    def section(title: str, items: list[tuple[str, Note | Action, Run]]) -> None:
        doc.heading(2, title)
        for extra, x, meta in items:
            doc.bullet(Run(extra), meta, Run(" — "), Run(lines_of(x.text)))
        if not items:
            doc.para(Run("—"))

    section(
        t("export.group.for_group", lang),
        [("", x, m) for x, m in entries if concerned(x, eng).group],
    )
    for p in eng.participants:
        mine = []
        for x, m in entries:
            c = concerned(x, eng)
            if p.id in c.people:
                others = [_name(i, eng) for i in sorted(c.people) if i != p.id]
                extra = f"{t('export.group.with', lang)} {', '.join(others)}{SEP}" if others else ""
                mine.append((extra, x, m))
        section(t("export.group.about", lang, names=inline(p.name)), mine)
    nobody = [("", x, m) for x, m in entries if concerned(x, eng).nobody]
    if nobody:
        section(t("export.group.nobody", lang), nobody)


def _session_people(doc: WordDocument, s: Session, eng: Engagement) -> None:
    if s.participant:
        doc.fact("export.group.one_to_one", _name(s.participant, eng))
    if s.attendance is not None:
        doc.fact("export.group.present", ", ".join(_name(i, eng) for i in s.attendance) or "—")
    if s.case_bringer:
        doc.fact("export.group.case_bringer", _name(s.case_bringer, eng))


# -- what `group_export` asks for ----------------------------------------------------------


def group_word_file(
    store: Store,
    engagement_id: str,
    audience: Audience,
    lang: str,
    session: int | None,
    *,
    for_sponsor: str | None = None,
    participant: str | None = None,
) -> tuple[str, bytes, str | None]:
    """The document's text, the .docx file and its recipient (the N+1's name, or
    the participant's id; None for the confidential file and the group's recap)."""
    from aoi_tui.exports.docx_file import docx_bytes

    ef = store.engagement(engagement_id)
    eng = ef.engagement()
    recipient: str | None = None
    if audience is Audience.SHARED:
        doc = group_report_word(build_group_report(ef, for_sponsor), lang)
        recipient = the_sponsor(eng, for_sponsor)
    elif audience is Audience.CONFIDENTIAL:
        doc = group_confidential_word(build_confidential_file(ef), lang)
    else:
        if session is None:
            raise ValueError("a recap is of one session: give its number (--session N)")
        if participant is not None:
            doc = participant_recap_word(build_participant_recap(ef, session, participant), lang)
            recipient = the_participant(eng, participant).id
        else:
            doc = group_recap_word(build_group_recap(ef, session), lang)
    return doc.outline(), docx_bytes(doc), recipient


__all__ = [
    "group_confidential_word",
    "group_recap_word",
    "group_report_word",
    "group_word_file",
    "participant_recap_word",
]
