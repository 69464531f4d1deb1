"""A case for supervision as a file: the case of one engagement pseudonymised
(`supervision_case`), in Markdown, HTML or Word, as an `Export` that
`writing.write_export` writes and records (the supervisor as its recipient),
and, apart, the preview the coach checks first (what was replaced and
flagged, with the original names: shown, never written) and whether the
agreement tells the coachee that the coach is supervised."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aoi_tui.config.i18n import plural, t
from aoi_tui.domain.models import Engagement
from aoi_tui.domain.vocabulary import Audience
from aoi_tui.exports.pseudonyms import Preview
from aoi_tui.exports.render_html import to_html
from aoi_tui.exports.supervision_case import supervision_case
from aoi_tui.exports.supervision_markdown import session_titles, supervision_markdown, word
from aoi_tui.exports.writing import WORD, Export, export_name
from aoi_tui.store.store import Store

SUPERVISION_FORMATS = ("md", "html", WORD)


@dataclass(frozen=True)
class SupervisionExport:
    export: Export
    preview: Preview
    """For the coach's eyes only: it holds the names the file does not."""
    supervised: bool
    """The agreement tells the coachee that the coach is supervised."""


def build_supervision_export(
    store: Store,
    engagement_id: str,
    fmt: str,
    lang: str,
    question: str,
    note_ids: Sequence[str] = (),
    supervisor: str | None = None,
) -> SupervisionExport:
    """Raises `supervision_case.UnknownNote` for a note id that is not one of
    this engagement's, ValueError for a format a case is not written in."""
    if fmt not in SUPERVISION_FORMATS:
        raise ValueError(
            f"a case for supervision is written as {', '.join(SUPERVISION_FORMATS)}, not {fmt!r}"
        )
    ef = store.engagement(engagement_id)
    pc, preview = supervision_case(ef, question, lang, note_ids)
    document: bytes | None = None
    if fmt == WORD:
        from aoi_tui.exports.supervision_word import supervision_docx  # python-docx when asked

        content, document = supervision_docx(pc, lang)
    else:
        content = supervision_markdown(pc, lang)
        if fmt == "html":
            content = to_html(
                content,
                word("title", lang),
                lang,
                banner=word("banner", lang),
                page_breaks=session_titles(pc, lang),
            )
    export = Export(
        audience=Audience.SUPERVISION,
        format=fmt,
        content=content,
        default_name=export_name(engagement_id, Audience.SUPERVISION, fmt, None),
        document=document,
        recipient=supervisor.strip() if supervisor and supervisor.strip() else None,
    )
    return SupervisionExport(export, preview, _supervised(ef.engagement()))


def _supervised(engagement: Engagement) -> bool:
    """Every agreement (each participant's in a group) says the coach is supervised."""
    return all(p.agreement.coach_supervised for p in engagement.participants)


# -- the preview, for the coach's terminal or screen (never the file) -----------------------

KINDS = ("name", "date", "email")
"""What a replacement may be: its word is `supervision.preview.kind.<kind>`."""


def _w(key: str, lang: str, **values: object) -> str:
    return t(f"supervision.preview.{key}", lang, **values)


def _times(count: int, lang: str) -> str:
    return plural("supervision.preview.times", count, lang) if count > 1 else ""


def preview_lines(preview: Preview, lang: str) -> list[str]:
    """The whole preview, for the coach's terminal: what was found as typed, the
    name it was taken for, what it became; then the flagged words in context."""
    if not preview.replaced and not preview.flagged:
        return [_w("nothing", lang)]
    lines: list[str] = []
    if preview.replaced:
        lines.append(_w("replaced", lang, count=sum(r.count for r in preview.replaced)))
        for r in sorted(preview.replaced, key=lambda r: (r.kind, r.name, r.found)):
            taken = f" ({r.name})" if r.name and r.name != r.found else ""
            times = f"  [{_times(r.count, lang)}]" if r.count > 1 else ""
            kind = _w(f"kind.{r.kind}", lang)
            lines.append(f"  {kind}: {_one_line(r.found)}{taken} → {r.label}{times}")
    if preview.flagged:
        lines.append(_w("flagged", lang, count=len(preview.flagged)))
        for f in sorted(preview.flagged, key=lambda f: f.word):
            times = f"  [{_times(f.count, lang)}]" if f.count > 1 else ""
            lines.append(f"  {f.word}: « {_one_line(f.context)} »{times}")
    return lines


def _one_line(text: str) -> str:
    shown = " ".join(text.split())
    return shown if shown.isprintable() else repr(shown)


def summary(preview: Preview, lang: str) -> str:
    count = {k: sum(r.count for r in preview.replaced if r.kind == k) for k in KINDS}
    flagged = sorted(f.word for f in preview.flagged)
    shown = f" ({', '.join(flagged[:5])}{'…' if len(flagged) > 5 else ''})" if flagged else ""
    return _w(
        "summary",
        lang,
        names=plural("supervision.preview.names", count["name"], lang),
        dates=plural("supervision.preview.dates", count["date"], lang),
        emails=plural("supervision.preview.emails", count["email"], lang),
        flagged=plural("supervision.preview.flagged_words", len(flagged), lang),
        words=shown,
    )


__all__ = [
    "SUPERVISION_FORMATS",
    "SupervisionExport",
    "build_supervision_export",
    "preview_lines",
    "summary",
]
