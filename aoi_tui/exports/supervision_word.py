"""A case for supervision in Word: the same sections as the Markdown
(`supervision_markdown`), from a `PseudonymousCase` only, as a `WordDocument`
that `docx_file` writes. Its title and banner name no one; its properties are
aoi's, like every Word export's."""

from __future__ import annotations

from aoi_tui.config.i18n import t
from aoi_tui.exports.docx_file import docx_bytes
from aoi_tui.exports.markdown_parts import SEP, label, phase_label
from aoi_tui.exports.render_word import Run, WordDocument
from aoi_tui.exports.supervision_case import CaseSession, CaseThoughts, PseudonymousCase
from aoi_tui.exports.supervision_markdown import note_tags, session_title, word


def supervision_word(pc: PseudonymousCase, lang: str) -> WordDocument:
    case = pc.case
    doc = WordDocument(title=word("title", lang), lang=lang, banner=word("banner", lang))
    doc.heading(1, word("title", lang))
    doc.notice(word("notice", lang))
    doc.heading(2, word("question", lang))
    doc.quote(case.question)
    _contract(doc, pc, lang)
    if case.thoughts:
        doc.heading(2, word("overall", lang))
        for thoughts in case.thoughts:
            _thoughts(doc, thoughts)
    for s in case.sessions:
        _session(doc, s, lang)
    return doc


def supervision_docx(pc: PseudonymousCase, lang: str) -> tuple[str, bytes]:
    """The document's text (what the export screen previews) and the .docx file."""
    doc = supervision_word(pc, lang)
    return doc.outline(), docx_bytes(doc)


def _yes(value: bool, lang: str) -> str:
    return t("yes" if value else "no", lang)


def _contract(doc: WordDocument, pc: PseudonymousCase, lang: str) -> None:
    c = pc.case.contract
    doc.heading(2, word("contract", lang))
    doc.fact("field.format", t(f"format.{c.format.value}", lang))
    doc.fact("field.planned_sessions", str(c.planned_sessions))
    doc.fact("field.sessions_held", str(c.sessions_held))
    doc.fact("field.cadence", t("cadence.days", lang, days=c.cadence_days))
    doc.bullet(
        Run(label(word("consent", lang), lang), bold=True), Run(_yes(c.consent_recorded, lang))
    )
    doc.fact("field.right_to_withdraw", _yes(c.right_to_withdraw, lang))
    doc.bullet(Run(word("reported", lang), bold=True))
    for flag in ("report_attendance", "report_objective_status", "report_competencies"):
        doc.fact(f"field.{flag}", _yes(getattr(c, flag), lang), nested=True)
    if c.confidentiality.strip():
        doc.heading(3, t("field.confidentiality", lang))
        doc.quote(c.confidentiality)


def _session(doc: WordDocument, s: CaseSession, lang: str) -> None:
    doc.heading(2, session_title(s, lang), new_page=True)
    if s.phases:
        doc.fact(
            "field.phases",
            SEP.join(
                t(
                    "export.phase_minutes",
                    lang,
                    phase=phase_label(s.kind.value, p.phase, lang),
                    minutes=p.minutes,
                    target=p.target_minutes,
                )
                if p.minutes is not None
                else word(
                    "untimed",
                    lang,
                    phase=phase_label(s.kind.value, p.phase, lang),
                    target=p.target_minutes,
                )
                for p in s.phases
            ),
        )
    if s.cards_drawn:
        doc.fact(
            "field.cards_drawn",
            SEP.join(f"{t(f'role.{r.value}', lang)} {n}" for r, n in s.cards_drawn.items()),
        )
    for thoughts in s.thoughts:
        title = (
            phase_label(s.kind.value, thoughts.phase, lang)
            if thoughts.phase
            else word("whole_session", lang)
        )
        doc.heading(3, title)
        _thoughts(doc, thoughts)
    if s.notes:
        doc.heading(3, word("notes", lang))
        for n in s.notes:
            doc.para(Run(SEP.join(note_tags(s, n, lang)), italic=True))
            doc.quote(n.text)


def _thoughts(doc: WordDocument, thoughts: CaseThoughts) -> None:
    for key in ("reflections", "feelings", "hypotheses"):
        text = getattr(thoughts, key)
        if text.strip():
            doc.para(Run(word(key, doc.lang), bold=True))
            doc.quote(text)


__all__ = ["supervision_docx", "supervision_word"]
