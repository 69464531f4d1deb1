"""Word exports: the sponsor's report, the confidential file and a session's
recap as .docx files, built from the same allow-listed models as the other
formats (`render_word`) and written by python-docx (`docx_file`). `writing`
imports this module only when a Word file is asked for, and makes the `Export`."""

from __future__ import annotations

from aoi_tui.config.i18n import t
from aoi_tui.domain.vocabulary import Audience
from aoi_tui.exports.confidential_file import build_confidential_file
from aoi_tui.exports.docx_file import docx_bytes
from aoi_tui.exports.render_word import (
    WordDocument,
    confidential_word,
    recap_word,
    shared_word,
)
from aoi_tui.exports.session_recap import build_session_recap
from aoi_tui.exports.shared_report import build_shared_report
from aoi_tui.store.store import Store


def word_document(
    store: Store, engagement_id: str, audience: Audience, lang: str, session: int | None
) -> WordDocument:
    ef = store.engagement(engagement_id)
    if not getattr(ef.engagement(), "individual", True):
        # A collective engagement's documents go to each reader apart (`group_word`,
        # through `group_export`): the individual models below would not keep one
        # participant's items from another.
        raise ValueError(t("export.word.collective"))
    if audience is Audience.SHARED:
        return shared_word(build_shared_report(ef), lang)
    if audience is Audience.CONFIDENTIAL:
        return confidential_word(build_confidential_file(ef), lang)
    if session is None:
        raise ValueError("a recap is of one session: give its number (--session N)")
    return recap_word(build_session_recap(ef, session), lang)


def word_file(
    store: Store, engagement_id: str, audience: Audience, lang: str, session: int | None
) -> tuple[str, bytes]:
    """The document's text (what the export screen previews) and the .docx file."""
    doc = word_document(store, engagement_id, audience, lang, session)
    return doc.outline(), docx_bytes(doc)


__all__ = ["word_document", "word_file"]
