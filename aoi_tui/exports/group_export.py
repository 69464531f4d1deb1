"""A collective engagement's exports, in each format: the report for one N+1,
the group's recap and a participant's recap of a session, the confidential
file. `writing.build_export` hands a group's exports here; the JSON is the
schema's version 2 (docs/export-json.md)."""

from __future__ import annotations

import json

from aoi_tui.config.i18n import t
from aoi_tui.domain.models import Audience
from aoi_tui.exports.confidential_file import build_confidential_file
from aoi_tui.exports.group_documents import (
    build_group_recap,
    build_group_report,
    build_participant_recap,
    the_participant,
    the_sponsor,
)
from aoi_tui.exports.group_markdown import (
    group_confidential_markdown,
    group_recap_markdown,
    group_report_markdown,
    participant_recap_markdown,
)
from aoi_tui.exports.render_html import to_html
from aoi_tui.exports.writing import (
    CONFIDENTIAL_FORMAT,
    FORMATS,
    RECAP_FORMAT,
    SHARED_FORMAT,
    WORD,
    Export,
    export_name,
)
from aoi_tui.store.store import Store

GROUP_JSON_VERSION = 2
GROUP_RECAP_FORMAT = "aoi-group-recap"


def _json(kind: str, lang: str, body: dict[str, object]) -> str:
    doc = {"format": kind, "version": GROUP_JSON_VERSION, "lang": lang, **body}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def build_group_export(
    store: Store,
    engagement_id: str,
    audience: Audience,
    fmt: str,
    lang: str,
    session: int | None = None,
    *,
    for_sponsor: str | None = None,
    participant: str | None = None,
) -> Export:
    """`for_sponsor`: whose report (the N+1's name; may be left out when the
    group has one N+1). `participant`: the id of the participant whose recap
    it is; without it, a recap is the group's."""
    if fmt == WORD:
        from aoi_tui.exports.group_word import group_word_file  # python-docx when asked only

        outline, document, to = group_word_file(
            store,
            engagement_id,
            audience,
            lang,
            session,
            for_sponsor=for_sponsor,
            participant=participant,
        )
        return Export(
            audience=audience,
            format=WORD,
            content=outline,
            default_name=export_name(engagement_id, audience, WORD, session),
            session=session,
            document=document,
            recipient=to,
        )
    if fmt not in FORMATS:
        raise ValueError(
            f"unknown format {fmt!r} for a collective engagement: md, html, json or docx"
        )
    ef = store.engagement(engagement_id)
    eng = ef.engagement()
    banner = None
    breaks: tuple[str, ...] = ()
    recipient: str | None = None
    if audience is Audience.SHARED:
        report = build_group_report(ef, for_sponsor)
        recipient = the_sponsor(eng, for_sponsor)
        title = f"{t('export.shared.title', lang)} — {report.group}"
        if fmt == "json":
            content = _json(SHARED_FORMAT, lang, report.model_dump(mode="json"))
        else:
            content = group_report_markdown(report, lang)
    elif audience is Audience.CONFIDENTIAL:
        cf = build_confidential_file(ef)
        title = f"{t('export.confidential.title', lang)} — {eng.group}"
        banner = t("export.confidential.banner", lang)
        if fmt == "json":
            content = _json(CONFIDENTIAL_FORMAT, lang, cf.model_dump(mode="json"))
        else:
            content = group_confidential_markdown(cf, lang)
    else:
        if session is None:
            raise ValueError("a recap is of one session: give its number (--session N)")
        if participant is not None:
            recap = build_participant_recap(ef, session, participant)
            recipient = the_participant(eng, participant).id
            title = f"{t('export.recap.title', lang, number=session)} — {recap.participant}"
            if fmt == "json":
                content = _json(RECAP_FORMAT, lang, recap.model_dump(mode="json"))
            else:
                content = participant_recap_markdown(recap, lang)
        else:
            group_recap = build_group_recap(ef, session)
            title = f"{t('export.recap.title', lang, number=session)} — {group_recap.group}"
            if fmt == "json":
                content = _json(GROUP_RECAP_FORMAT, lang, group_recap.model_dump(mode="json"))
            else:
                content = group_recap_markdown(group_recap, lang)
    if fmt == "html":
        content = to_html(content, title, lang, banner=banner, page_breaks=breaks)
    return Export(
        audience=audience,
        format=fmt,
        content=content,
        default_name=export_name(engagement_id, audience, fmt, session),
        session=session,
        recipient=recipient,
    )


__all__ = ["GROUP_JSON_VERSION", "GROUP_RECAP_FORMAT", "build_group_export"]
