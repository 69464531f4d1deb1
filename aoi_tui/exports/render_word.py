"""The three documents for Word, as blocks: headings, paragraphs of runs, bullets,
quotes and tables. The sponsor's report renders a `SharedReport` only, the
coach's confidential file a `ConfidentialFile`, the coachee's recap a
`SessionRecap`: the same allow-listed models as Markdown, HTML and JSON, never
their text. `docx_file` writes these blocks with python-docx; nothing here
imports it, so building a preview costs no start-up time.

Typed text goes in as runs of plain text: Word has no markup to forge, so it is
only flattened where it stands on one line; the characters XML forbids are
handled where the file is written (`docx_file.xml_text`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from aoi_tui.config.i18n import t
from aoi_tui.domain.models import (
    Action,
    Agreement,
    Engagement,
    ExportRecord,
    Note,
    Objective,
    Session,
    Visibility,
)
from aoi_tui.domain.text import clean
from aoi_tui.domain.vocabulary import counts_as_held
from aoi_tui.exports.confidential_file import ConfidentialFile
from aoi_tui.exports.markdown_parts import (
    SEP,
    capital,
    day,
    hour,
    label,
    level,
    phase_label,
    session_heading,
)
from aoi_tui.exports.markdown_safety import inline
from aoi_tui.exports.session_recap import RecapAction, SessionRecap
from aoi_tui.exports.shared_report import (
    SharedAction,
    SharedAgreement,
    SharedObjective,
    SharedReport,
)


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


Style = Literal["body", "bullet", "bullet2", "quote", "notice", "banner"]


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: Style = "body"


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    new_page: bool = False  # a session, the closing review: a printed page of its own


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Paragraph | Table


@dataclass
class WordDocument:
    """A document for Word. `title` is what its properties say it is (the kind of
    document, never a person's name); `banner`, where given, stands in the header
    of every page."""

    title: str
    lang: str
    banner: str | None = None
    blocks: list[Block] = field(default_factory=list)

    def heading(self, level: int, text: str, new_page: bool = False) -> None:
        self.blocks.append(Heading(level, inline(text), new_page))

    def para(self, *runs: Run, style: Style = "body") -> None:
        self.blocks.append(Paragraph(tuple(r for r in runs if r.text), style))

    def notice(self, text: str) -> None:
        self.para(Run(text, italic=True), style="notice")

    def bullet(self, *runs: Run, nested: bool = False) -> None:
        self.para(*runs, style="bullet2" if nested else "bullet")

    def fact(self, key: str, value: str, nested: bool = False) -> None:
        """A bullet: a label in bold, then its value (typed text flattened)."""
        self.bullet(Run(label(t(key, self.lang), self.lang), bold=True), Run(value), nested=nested)

    def quote(self, text: str) -> None:
        """A free text of several lines, as typed (its lines kept)."""
        self.para(Run(lines_of(text)), style="quote")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.blocks.append(Table(tuple(header), tuple(tuple(r) for r in rows)))

    def outline(self) -> str:
        """The document's text, as the export screen previews it: every word the
        file will hold, the banner first."""
        out = [f"[{self.banner}]", ""] if self.banner else []
        for b in self.blocks:
            if isinstance(b, Heading):
                out += ["", "#" * b.level + " " + b.text, ""]
            elif isinstance(b, Table):
                out += [" | ".join(b.header)] + [" | ".join(r) for r in b.rows] + [""]
            else:
                text = "".join(r.text for r in b.runs)
                prefix = {"bullet": "• ", "bullet2": "    ◦ ", "quote": "  ▌ "}.get(b.style, "")
                out.append(prefix + text.replace("\n", "\n" + " " * len(prefix)))
        return "\n".join(out).strip() + "\n"


def lines_of(text: str) -> str:
    """A free text cleaned, its lines kept (no trailing blanks), or a dash."""
    lines = [line.rstrip() for line in clean(text).strip().split("\n")]
    return "\n".join(lines) if lines != [""] else "—"


def _owner(owner_value: str, lang: str) -> str:
    return capital(t(f"owner.{owner_value}", lang))


# -- parts of both the sponsor's report and the confidential file ------------------------------


def _agreement(doc: WordDocument, a: SharedAgreement | Agreement) -> None:
    lang = doc.lang
    doc.heading(2, t("export.agreement", lang))
    doc.fact("field.consent_date", day(a.consent_date, lang))
    doc.fact("field.right_to_withdraw", t("yes" if a.right_to_withdraw else "no", lang))
    for flag in ("report_attendance", "report_objective_status", "report_competencies"):
        doc.fact("field." + flag, t("yes" if getattr(a, flag) else "no", lang))
    if a.coach_supervised:
        doc.para(Run(t("export.coach_supervised", lang)))
    if a.confidentiality.strip():
        doc.quote(a.confidentiality)


def _objectives(doc: WordDocument, objectives: Sequence[SharedObjective | Objective]) -> None:
    lang = doc.lang
    if not objectives:
        return
    doc.heading(2, t("export.objectives", lang))
    for o in objectives:
        doc.bullet(Run(inline(o.statement) or "—", bold=True))
        if o.area is not None:
            doc.fact("field.area", t(f"area.{o.area.value}", lang), nested=True)
        if o.indicator.strip():
            doc.fact("field.indicator", inline(o.indicator), nested=True)
        if o.expected_result.strip():
            doc.fact("field.expected_result", inline(o.expected_result), nested=True)
        if o.status is not None:
            doc.fact("field.progress", t(f"objective.{o.status.value}", lang), nested=True)


def _action(
    doc: WordDocument,
    action: SharedAction | RecapAction | Action,
    *details: str,
    session: int | None = None,
) -> None:
    lang = doc.lang
    parts = []
    if session is not None:
        parts.append(f"{t('export.session', lang).lower()} {session}")
    if action.due:
        parts.append(f"{t('field.due', lang)} {day(action.due, lang)}")
    parts.extend(d for d in details if d)
    meta = SEP + SEP.join(parts) if parts else ""
    doc.bullet(
        Run(_owner(action.owner.value, lang), bold=True),
        Run(meta + " — "),
        Run(lines_of(action.text)),
    )


# -- the sponsor's report ------------------------------------------------------------------


def shared_word(report: SharedReport, lang: str) -> WordDocument:
    doc = WordDocument(title=t("export.shared.title", lang), lang=lang)
    doc.heading(1, f"{t('export.shared.title', lang)} — {report.coachee}")
    doc.notice(t("export.shared.notice", lang))
    doc.heading(2, t("export.engagement", lang))
    _report_facts(doc, report)
    _agreement(doc, report.agreement)
    if report.sessions:
        doc.heading(2, t("export.sessions", lang))
        for s in report.sessions:
            doc.bullet(Run(session_heading(s.number, s.kind, s.held_on, lang)))
    _objectives(doc, report.objectives)
    if report.messages:
        doc.heading(2, t("export.messages", lang))
        for m in report.messages:
            validated = (
                t("export.message_validated_on", lang, date=day(m.validated_on, lang))
                if m.validated_on is not None
                else t("export.message_validated", lang)
            )
            if m.session is not None:
                doc.heading(3, f"{t('export.session', lang)} {m.session} — {validated}")
            else:
                doc.heading(3, capital(validated))
            doc.quote(m.text)
    if report.notes:
        doc.heading(2, t("export.shared_notes", lang))
        for n in report.notes:
            meta = []
            if n.session is not None:
                meta.append(f"{t('export.session', lang)} {n.session}")
            if n.validated_on is not None:
                meta.append(t("export.note_validated_on", lang, date=day(n.validated_on, lang)))
            head = capital(SEP.join(meta)) + " — " if meta else ""
            doc.bullet(Run(head, bold=True), Run(lines_of(n.text)))
    if report.actions:
        doc.heading(2, t("export.actions", lang))
        for act in report.actions:
            _action(doc, act, t(f"action.{act.status.value}", lang), session=act.session)
    if report.competencies is not None:
        doc.heading(2, t("export.competencies", lang))
        if report.competencies:
            doc.table(
                [
                    t("field.competency", lang),
                    t("fsac.start", lang),
                    t("fsac.now", lang),
                    t("fsac.target", lang),
                ],
                [
                    [
                        inline(c.name) or "—",
                        level(c.start_level, lang),
                        level(c.latest_level, lang),
                        level(c.target, lang),
                    ]
                    for c in report.competencies
                ],
            )
        else:
            doc.para(Run(t("export.none", lang)))
    _report_closing(doc, report)
    if report.validation_dates:
        doc.heading(2, t("export.validations", lang))
        for d in report.validation_dates:
            doc.bullet(Run(day(d, lang)))
    return doc


def _report_facts(doc: WordDocument, report: SharedReport) -> None:
    lang = doc.lang
    doc.fact("field.coachee", inline(report.coachee))
    doc.fact("field.sponsor", inline(report.sponsor))
    if report.coach.strip():
        doc.fact("field.coach", inline(report.coach))
    if report.organisation.strip():
        doc.fact("field.organisation", inline(report.organisation))
    doc.fact("field.status", t(f"status.{report.status.value}", lang))
    if report.period_start and report.period_end:
        start, end = day(report.period_start, lang), day(report.period_end, lang)
        period = start if start == end else t("export.period_range", lang, start=start, end=end)
        doc.fact("field.period", period)
    doc.fact("field.planned_sessions", str(report.planned_sessions))
    if report.agreement.report_attendance:
        held = sum(1 for x in report.sessions if counts_as_held(x.kind))
        doc.fact("field.sessions_held", str(held))
    if report.closed_on:
        doc.fact("field.closed_on", day(report.closed_on, lang))
    if report.withdrawn_on:
        doc.fact("field.withdrawn_on", day(report.withdrawn_on, lang))


def _report_closing(doc: WordDocument, report: SharedReport) -> None:
    lang = doc.lang
    c = report.closing
    if c is None:
        return
    doc.heading(2, t("export.closing.title", lang))
    if c.validated_on is not None:
        doc.notice(t("export.closing.validated_on", lang, date=day(c.validated_on, lang)))
    else:
        doc.notice(t("export.closing.validated", lang))
    if c.synthesis.strip():
        doc.heading(3, t("export.closing.synthesis", lang))
        doc.quote(c.synthesis)
    if c.next_steps.strip():
        doc.heading(3, t("export.closing.next", lang))
        doc.quote(c.next_steps)


# -- the coach's confidential file -----------------------------------------------------------


def confidential_word(cf: ConfidentialFile, lang: str) -> WordDocument:
    eng = cf.engagement
    banner = t("export.confidential.banner", lang)
    doc = WordDocument(title=t("export.confidential.title", lang), lang=lang, banner=banner)
    doc.heading(1, f"{t('export.confidential.title', lang)} — {eng.coachee}")
    doc.para(Run(banner, bold=True), style="banner")
    doc.heading(2, t("export.engagement", lang))
    _engagement_facts(doc, cf)
    _agreement(doc, eng.agreement)
    _framing(doc, eng)
    _objectives(doc, cf.objectives)
    _competencies(doc, cf)
    _tools(doc, cf)
    for s in cf.sessions:
        doc.heading(2, session_heading(s.number, s.kind, s.held_on, lang), new_page=True)
        _session(doc, s, cf)
    if eng.closing_synthesis.strip() or eng.closing_next.strip():
        doc.heading(2, t("export.closing.title", lang), new_page=True)
        _closing(doc, eng)
    _history(doc, cf.exports)
    return doc


def _engagement_facts(doc: WordDocument, cf: ConfidentialFile) -> None:
    lang = doc.lang
    eng = cf.engagement
    doc.fact("field.coachee", inline(eng.coachee))
    doc.fact("field.sponsor", inline(eng.sponsor))
    doc.fact("field.coach", inline(eng.coach) or "—")
    doc.fact("field.organisation", inline(eng.organisation) or "—")
    doc.fact("field.format", t(f"format.{eng.format.value}", lang))
    doc.fact("field.status", t(f"status.{eng.status.value}", lang))
    doc.fact("field.opened_on", day(eng.created_at.date(), lang))
    doc.fact("field.planned_sessions", str(eng.planned_sessions))
    doc.fact("field.sessions_held", str(sum(1 for x in cf.sessions if counts_as_held(x.kind))))
    doc.fact("field.cadence", t("cadence.days", lang, days=eng.cadence_days))
    if eng.next_session:
        doc.fact("field.next_session", day(eng.next_session, lang))
    if eng.closed_on:
        doc.fact("field.closed_on", day(eng.closed_on, lang))
    if eng.withdrawn_on:
        doc.fact("field.withdrawn_on", day(eng.withdrawn_on, lang))


_MOTIVATION = {
    "low": "export.motivation_low",
    "medium": "export.motivation_medium",
    "high": "export.motivation_high",
}


def _framing(doc: WordDocument, eng: Engagement) -> None:
    lang = doc.lang
    framing = [
        ("field.coachee_expectations", eng.coachee_expectations),
        ("field.sponsor_expectations", eng.sponsor_expectations),
    ]
    motivation = _MOTIVATION.get(eng.strategy_motivation or "")
    grid = eng.strategy_competence is not None or motivation is not None
    if not (any(text.strip() for _, text in framing) or grid or eng.strategy.strip()):
        return
    doc.heading(2, t("export.framing", lang))
    for key, text in framing:
        if text.strip():
            doc.heading(3, t(key, lang))
            doc.quote(text)
    if grid or eng.strategy.strip():
        doc.heading(3, t("field.strategy", lang))
        if eng.strategy_competence is not None:
            doc.fact("field.competence", level(eng.strategy_competence, lang))
        if motivation is not None:
            doc.fact("field.motivation", t(motivation, lang))
        if eng.strategy.strip():
            doc.quote(eng.strategy)


def _competencies(doc: WordDocument, cf: ConfidentialFile) -> None:
    lang = doc.lang
    if not cf.competencies:
        return
    doc.heading(2, t("export.competencies", lang))
    for c in cf.competencies:
        doc.heading(3, inline(c.name) or "—")
        doc.fact("fsac.start", level(c.start_level, lang))
        doc.fact("fsac.target", level(c.target, lang))
        behaviours = [b for b in c.behaviours if b.strip()]
        if behaviours:
            doc.para(Run(label(t("field.behaviours", lang), lang).rstrip(), bold=True))
            for b in behaviours:
                doc.bullet(Run(lines_of(b)))
        marks = [m for m in cf.assessments if m.competency_id == c.id]
        if marks:
            doc.table(
                [
                    t("field.date", lang),
                    t("export.session", lang),
                    t("field.assessor", lang),
                    t("field.timing", lang),
                    t("field.level", lang),
                ],
                [
                    [
                        day(m.on, lang),
                        str(m.session or "—"),
                        t(f"assessor.{m.by.value}", lang),
                        t(f"timing.{m.timing.value}", lang),
                        level(m.level, lang),
                    ]
                    for m in marks
                ],
            )


def _tools(doc: WordDocument, cf: ConfidentialFile) -> None:
    lang = doc.lang
    if not cf.tools:
        return
    doc.heading(2, t("export.tools", lang))
    for tool in cf.tools:
        meta = []
        if tool.introduced_session is not None:
            meta.append(t("export.introduced", lang, number=tool.introduced_session))
        if tool.maturity:
            meta.append(
                ", ".join(f"{day(m.on, lang)} {level(m.level, lang)}" for m in tool.maturity)
            )
        runs = [Run(inline(tool.name) or "—", bold=True)]
        if meta:
            runs.append(Run(SEP + SEP.join(meta)))
        if tool.description.strip():
            runs += [Run(" — "), Run(lines_of(tool.description))]
        doc.bullet(*runs)


def _session(doc: WordDocument, s: Session, cf: ConfidentialFile) -> None:
    lang = doc.lang
    _session_facts(doc, s)
    if s.coachee_log.strip():
        doc.heading(3, t("field.coachee_log", lang))
        doc.quote(s.coachee_log)
    if s.sponsor_message.strip():
        v = s.sponsor_message_validation
        state = (
            t("export.message_validated_on", lang, date=day(v.at.date(), lang))
            if s.sponsor_message_validated and v is not None
            else t("export.not_validated", lang)
        )
        doc.heading(3, f"{t('export.message', lang)} — {state}")
        doc.quote(s.sponsor_message)
    notes = [n for n in cf.notes if n.session == s.number]
    if notes:
        doc.heading(3, t("export.notes", lang))
        for n in notes:
            doc.bullet(
                Run(_note_meta(n, s.kind.value, lang) + " — ", italic=True), Run(lines_of(n.text))
            )
    actions = [a for a in cf.actions if a.session == s.number]
    if actions:
        doc.heading(3, t("export.actions", lang))
        for act in actions:
            _action(
                doc,
                act,
                t(f"action.{act.status.value}", lang),
                _visibility(act, lang, "export.action_validated_on"),
            )


def _session_facts(doc: WordDocument, s: Session) -> None:
    lang = doc.lang
    if s.started_at and s.ended_at:
        doc.fact("field.hours", f"{hour(s.started_at)}–{hour(s.ended_at)}")
    timed = [p for p in s.phases if p.started_at and p.ended_at]
    if timed:
        doc.fact(
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
        )
    if s.cards_drawn:
        doc.fact(
            "field.cards_drawn",
            SEP.join(f"{t(f'role.{r.value}', lang)} {n}" for r, n in s.cards_drawn.items()),
        )
    if s.feeling is not None:
        value = f"{s.feeling}/5"
        if s.feeling_note.strip():
            value += " — " + lines_of(s.feeling_note)
        doc.fact("field.feeling", value)


def _visibility(thing: Note | Action, lang: str, validated_key: str) -> str:
    if thing.visibility is Visibility.PRIVATE:
        return t("export.private", lang)
    state = (
        t(validated_key, lang, date=day(thing.validation.at.date(), lang))
        if thing.validated and thing.validation is not None
        else t("export.not_validated", lang)
    )
    return f"{t(f'visibility.{thing.visibility.value}', lang)}, {state}"


def _note_meta(n: Note, kind: str, lang: str) -> str:
    tags = [phase_label(kind, n.phase, lang)]
    if n.role:
        tags.append(t(f"role.{n.role.value}", lang))
    tags.append(t(f"kind.{n.kind.value}", lang))
    tags.append(_visibility(n, lang, "export.note_validated_on"))
    return SEP.join(tags)


def _closing(doc: WordDocument, eng: Engagement) -> None:
    lang = doc.lang
    v = eng.closing_validation
    if eng.closing_validated and v is not None:
        doc.notice(t("export.closing.validated_on", lang, date=day(v.at.date(), lang)))
    else:
        doc.notice(t("export.closing.not_validated", lang))
    if eng.closing_synthesis.strip():
        doc.heading(3, t("export.closing.synthesis", lang))
        doc.quote(eng.closing_synthesis)
    if eng.closing_next.strip():
        doc.heading(3, t("export.closing.next", lang))
        doc.quote(eng.closing_next)


def _history(doc: WordDocument, exports: list[ExportRecord]) -> None:
    lang = doc.lang
    if not exports:
        return
    doc.heading(2, t("export.history", lang))
    for e in exports:
        which = t(f"audience.{e.audience.value}", lang)
        if e.session:
            which += f" ({t('export.session', lang).lower()} {e.session})"
        doc.bullet(
            Run(f"{day(e.at.date(), lang)} {hour(e.at)} — {which}, {e.format} → "),
            Run(inline(e.filename)),
        )


# -- the coachee's recap of one session --------------------------------------------------------


def recap_word(recap: SessionRecap, lang: str) -> WordDocument:
    title = t("export.recap.title", lang, number=recap.session)
    doc = WordDocument(title=title, lang=lang)
    doc.heading(1, f"{title} — {recap.coachee}")
    doc.notice(t("export.recap.notice", lang))
    kind = t(f"session.kind.{recap.kind.value}", lang)
    doc.bullet(Run(t("export.kind_on", lang, kind=kind, date=day(recap.held_on, lang))))
    if recap.coach.strip():
        doc.fact("field.coach", inline(recap.coach))
    if recap.next_session:
        doc.fact("export.recap.next", day(recap.next_session, lang))
    doc.heading(2, t("export.actions", lang))
    if recap.actions:
        for act in recap.actions:
            _action(doc, act)
    else:
        doc.notice(t("export.recap.no_action", lang))
    doc.heading(2, t("export.message", lang))
    if recap.message:
        doc.quote(recap.message)
    else:
        doc.notice(t("export.recap.no_message", lang))
    if recap.notes:
        doc.heading(2, t("export.shared_notes", lang))
        for text in recap.notes:
            doc.bullet(Run(lines_of(text)))
    return doc


__all__ = [
    "Block",
    "Heading",
    "Paragraph",
    "Run",
    "Table",
    "WordDocument",
    "confidential_word",
    "lines_of",
    "recap_word",
    "shared_word",
]
