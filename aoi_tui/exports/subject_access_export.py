"""A person's access to their data as files: the HTML and the JSON of
`subject_access`, as `Export`s that `writing.write_export` writes and records
(the person as the recipient)."""

from __future__ import annotations

from aoi_tui.domain.vocabulary import Audience
from aoi_tui.exports.subject_access import access_html, access_json, build_access_file
from aoi_tui.exports.writing import Export, export_name
from aoi_tui.store.store import Store


def build_access_exports(
    store: Store,
    engagement_id: str,
    participant: str | None,
    lang: str,
    controller: str | None = None,
    retention_days: int | None = None,
) -> tuple[list[Export], int]:
    """The two files, and how many texts the coach must review first."""
    af = build_access_file(store.engagement(engagement_id), participant, controller, retention_days)
    ef = store.engagement(engagement_id)
    person = next(
        p.id for p in ef.engagement().participants if p.name == af.person
    )  # recorded by id: the log names no one
    exports = [
        Export(
            audience=Audience.SUBJECT_ACCESS,
            format=fmt,
            content=content,
            default_name=export_name(engagement_id, Audience.SUBJECT_ACCESS, fmt, None).replace(
                "subject_access", f"access-{person[:6]}"
            ),
            recipient=person,
        )
        for fmt, content in (("html", access_html(af, lang)), ("json", access_json(af, lang)))
    ]
    return exports, len(af.flagged)


__all__ = ["build_access_exports"]
