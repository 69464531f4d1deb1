"""A collective engagement's exports, in each format: the report for one N+1,
the group's recap and a participant's recap of a session, the confidential
file. `writing.build_export` hands a group's exports here; the JSON is the
schema's version 2 (docs/export-json.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from aoi_tui.config.i18n import t
from aoi_tui.domain.allow_list import sponsors
from aoi_tui.domain.models import Audience, Engagement
from aoi_tui.domain.participants import same_person
from aoi_tui.exports.confidential_file import (
    build_confidential_file,
    confidential_json,
    planned_sessions,
)
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
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import Store

GROUP_JSON_VERSION = 2
GROUP_RECAP_FORMAT = "aoi-group-recap"


@dataclass(frozen=True)
class GroupDocument:
    """One document a group's export makes, and for whom: the confidential file,
    the report for one N+1 (`for_sponsor`), the group's recap of a session, or
    one participant's (`participant`, their id)."""

    audience: Audience
    for_sponsor: str | None = None
    participant: str | None = None


def group_documents(engagement: Engagement) -> list[GroupDocument]:
    """Every document `aoi export` makes for this group, in the order the export
    screen offers them: the confidential file, a report per N+1, the group's
    recap, each participant's own recap."""
    return [
        GroupDocument(Audience.CONFIDENTIAL),
        *(GroupDocument(Audience.SHARED, for_sponsor=name) for name in sponsors(engagement)),
        GroupDocument(Audience.RECAP),
        *(GroupDocument(Audience.RECAP, participant=p.id) for p in engagement.participants),
    ]


def _file_name(
    engagement: Engagement,
    engagement_id: str,
    audience: Audience,
    fmt: str,
    session: int | None,
    for_sponsor: str | None,
    participant: str | None,
) -> str:
    """`export_name`, told apart per N+1 when the group has several, and per
    participant for a recap (by their rank, never a name), so that one
    document's file is not written over another's."""
    name = export_name(engagement_id, audience, fmt, session)
    which = f"{audience.value}-s{session}" if audience is Audience.RECAP else audience.value
    suffix = ""
    if audience is Audience.SHARED and for_sponsor is not None and len(sponsors(engagement)) > 1:
        known = sponsors(engagement)
        rank = next((i for i, n in enumerate(known) if same_person(n, for_sponsor)), None)
        suffix = f"n{rank + 1}" if rank is not None else ""
    elif audience is Audience.RECAP and participant is not None:
        ids = [p.id for p in engagement.participants]
        suffix = f"p{ids.index(participant) + 1}" if participant in ids else ""
    return name.replace(f"-{which}-", f"-{which}-{suffix}-", 1) if suffix else name


def _json(kind: str, lang: str, body: dict[str, object], version: int = GROUP_JSON_VERSION) -> str:
    doc = {"format": kind, "version": version, "lang": lang, **body}
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

        eng = store.engagement(engagement_id).engagement()
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
            default_name=_file_name(
                eng, engagement_id, audience, WORD, session, for_sponsor, participant
            ),
            session=session,
            document=document,
            recipient=to,
        )
    if fmt not in FORMATS:
        raise ValueError(
            f"unknown format {fmt!r} for a collective engagement: md, html, json or docx"
        )
    return group_export_of(
        store.engagement(engagement_id),
        audience,
        fmt,
        lang,
        session,
        for_sponsor=for_sponsor,
        participant=participant,
    )


def group_export_of(
    ef: EngagementFile,
    audience: Audience,
    fmt: str,
    lang: str,
    session: int | None = None,
    *,
    for_sponsor: str | None = None,
    participant: str | None = None,
) -> Export:
    """`build_group_export` in md, html or json, from the engagement's file."""
    engagement_id = ef.id
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
            version, body = confidential_json(cf, planned_sessions(ef))  # 2, or 3: planned
            content = _json(CONFIDENTIAL_FORMAT, lang, body, version)
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
        default_name=_file_name(
            eng, engagement_id, audience, fmt, session, for_sponsor, participant
        ),
        session=session,
        recipient=recipient,
    )


__all__ = [
    "GROUP_JSON_VERSION",
    "GROUP_RECAP_FORMAT",
    "GroupDocument",
    "build_group_export",
    "group_documents",
    "group_export_of",
]
