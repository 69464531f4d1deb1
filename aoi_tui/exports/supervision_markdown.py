"""A case for supervision in Markdown, then HTML: it renders a
`PseudonymousCase` only (every free text already pseudonymised), through the
same safety helpers as the other documents (`markdown_safety`: typed text never
makes structure, raw HTML or a live non-http link). It names no one and holds
no date, and never the preview (what was replaced, with the original names)."""

from __future__ import annotations

from aoi_tui.config.i18n import t
from aoi_tui.exports.markdown_parts import (
    NBSP,
    SEP,
    field,
    kind_in_sentence,
    label,
    phase_label,
)
from aoi_tui.exports.markdown_safety import Document, heading, item, quote
from aoi_tui.exports.render_html import to_html
from aoi_tui.exports.supervision_case import (
    CaseNote,
    CaseSession,
    CaseThoughts,
    PseudonymousCase,
)


def word(key: str, lang: str, **values: object) -> str:
    """The document's own words, from the catalogs (`export.supervision`)."""
    return t(f"export.supervision.{key}", lang, **values)


def supervision_markdown(pc: PseudonymousCase, lang: str) -> str:
    case = pc.case
    doc = Document()
    doc.add(heading(1, word("title", lang)))
    doc.add(f"_{word('notice', lang)}_")
    doc.add(heading(2, word("question", lang)), quote(case.question))
    _contract(doc, pc, lang)
    if case.thoughts:
        doc.add(heading(2, word("overall", lang)))
        for thoughts in case.thoughts:
            _thoughts(doc, thoughts, lang)
    for s in case.sessions:
        _session(doc, s, lang)
    return doc.text()


def session_titles(pc: PseudonymousCase, lang: str) -> tuple[str, ...]:
    """The h2 headings that start a new printed page: each session."""
    return tuple(session_title(s, lang) for s in pc.case.sessions)


def supervision_html(pc: PseudonymousCase, lang: str) -> str:
    return to_html(
        supervision_markdown(pc, lang),
        word("title", lang),
        lang,
        banner=word("banner", lang),
        page_breaks=session_titles(pc, lang),
    )


def _yes(value: bool, lang: str) -> str:
    return t("yes" if value else "no", lang)


def _contract(doc: Document, pc: PseudonymousCase, lang: str) -> None:
    c = pc.case.contract
    doc.add(heading(2, word("contract", lang)))
    doc.lines(
        [
            field("field.format", t(f"format.{c.format.value}", lang), lang),
            field("field.planned_sessions", str(c.planned_sessions), lang),
            field("field.sessions_held", str(c.sessions_held), lang),
            field("field.cadence", t("cadence.days", lang, days=c.cadence_days), lang),
            f"- {label(word('consent', lang), lang)}{_yes(c.consent_recorded, lang)}",
            field("field.right_to_withdraw", _yes(c.right_to_withdraw, lang), lang),
            f"- {word('reported', lang)}{NBSP if lang == 'fr' else ''}:",
            *(
                "  " + field(f"field.{flag}", _yes(getattr(c, flag), lang), lang)
                for flag in ("report_attendance", "report_objective_status", "report_competencies")
            ),
        ]
    )
    if c.confidentiality.strip():
        doc.add(heading(3, t("field.confidentiality", lang)), quote(c.confidentiality))


def session_title(s: CaseSession, lang: str) -> str:
    return word("session", lang, number=s.number, kind=kind_in_sentence(s.kind, lang), week=s.week)


def _session(doc: Document, s: CaseSession, lang: str) -> None:
    doc.add(heading(2, session_title(s, lang)))
    facts = []
    if s.phases:
        facts.append(
            field(
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
                lang,
            )
        )
    if s.cards_drawn:
        facts.append(
            field(
                "field.cards_drawn",
                SEP.join(f"{t(f'role.{r.value}', lang)} {n}" for r, n in s.cards_drawn.items()),
                lang,
            )
        )
    doc.lines(facts)
    for thoughts in s.thoughts:
        title = (
            phase_label(s.kind.value, thoughts.phase, lang)
            if thoughts.phase
            else word("whole_session", lang)
        )
        doc.add(heading(3, title))
        _thoughts(doc, thoughts, lang, nested=True)
    if s.notes:
        doc.add(heading(3, word("notes", lang)))
        doc.lines([item(f"_{SEP.join(note_tags(s, n, lang))}_ — ", n.text) for n in s.notes])


def note_tags(s: CaseSession, n: CaseNote, lang: str) -> list[str]:
    tags = [phase_label(s.kind.value, n.phase, lang)] if n.phase else []
    if n.role is not None:
        tags.append(t(f"role.{n.role.value}", lang))
    tags.append(t(f"kind.{n.kind.value}", lang))
    return tags


def _thoughts(doc: Document, thoughts: CaseThoughts, lang: str, nested: bool = False) -> None:
    """The coach's reflections, feelings and hypotheses, each in a quote of its own."""
    for key in ("reflections", "feelings", "hypotheses"):
        text = getattr(thoughts, key)
        if text.strip():
            doc.add(f"**{word(key, lang)}**" if nested else heading(3, word(key, lang)))
            doc.add(quote(text))


__all__ = [
    "note_tags",
    "session_title",
    "session_titles",
    "supervision_html",
    "supervision_markdown",
    "word",
]
