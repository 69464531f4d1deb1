"""Exports: choose what to build, render it, write it where the coach asked,
and record that it left (what, when, which format, which file name)."""

from __future__ import annotations

import errno
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from aoi_tui import clock
from aoi_tui.confidential_file import build_confidential_file
from aoi_tui.durable import StoreWriteError, describe_os_error, write_atomic
from aoi_tui.i18n import t
from aoi_tui.models import Audience, ExportRecord
from aoi_tui.render_html import to_html
from aoi_tui.render_markdown import (
    confidential_markdown,
    confidential_page_breaks,
    recap_markdown,
    shared_markdown,
)
from aoi_tui.session_recap import build_session_recap
from aoi_tui.shared_report import build_shared_report
from aoi_tui.store import Store

FORMATS = ("md", "html", "json")
JSON_VERSION = 1
SHARED_FORMAT = "aoi-shared-report"
CONFIDENTIAL_FORMAT = "aoi-confidential-file"
RECAP_FORMAT = "aoi-session-recap"


@dataclass(frozen=True)
class Export:
    audience: Audience
    format: str
    content: str
    default_name: str
    session: int | None = None


def build_export(
    store: Store,
    engagement_id: str,
    audience: Audience,
    fmt: str,
    lang: str,
    session: int | None = None,
) -> Export:
    """`session` is required for a recap (one session's), unused otherwise."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    ef = store.engagement(engagement_id)
    breaks: tuple[str, ...] = ()
    if audience is Audience.SHARED:
        report = build_shared_report(ef)
        title = f"{t('export.shared.title', lang)} — {report.coachee}"
        banner = None
        if fmt == "json":
            content = _json(SHARED_FORMAT, lang, report.model_dump(mode="json"))
        else:
            content = shared_markdown(report, lang)
    elif audience is Audience.CONFIDENTIAL:
        cf = build_confidential_file(ef)
        title = f"{t('export.confidential.title', lang)} — {cf.engagement.coachee}"
        banner = t("export.confidential.banner", lang)
        if fmt == "json":
            content = _json(CONFIDENTIAL_FORMAT, lang, cf.model_dump(mode="json"))
        else:
            content = confidential_markdown(cf, lang)
            breaks = confidential_page_breaks(cf, lang)
    else:
        if session is None:
            raise ValueError("a recap is of one session: give its number (--session N)")
        recap = build_session_recap(ef, session)
        title = f"{t('export.recap.title', lang, number=recap.session)} — {recap.coachee}"
        banner = None
        if fmt == "json":
            content = _json(RECAP_FORMAT, lang, recap.model_dump(mode="json"))
        else:
            content = recap_markdown(recap, lang)
    if fmt == "html":
        content = to_html(content, title, lang, banner=banner, page_breaks=breaks)
    which = f"{audience.value}-s{session}" if audience is Audience.RECAP else audience.value
    name = f"aoi-{engagement_id[:8]}-{which}-{clock.today().isoformat()}.{fmt}"
    return Export(
        audience=audience, format=fmt, content=content, default_name=name, session=session
    )


def _json(kind: str, lang: str, body: dict[str, object]) -> str:
    doc = {"format": kind, "version": JSON_VERSION, "lang": lang, **body}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class ExportPathError(StoreWriteError):
    """The output path is refused before anything is written."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(path, OSError(errno.ELOOP, reason))


def write_export(
    store: Store, engagement_id: str, export: Export, output: str | None
) -> Path | None:
    """Write to `output` (a path, or "-" for standard output; default: a file in
    the current folder) and record the export. Returns the path.

    The file is written whole to a temporary file in the target folder (mode
    0600 from its creation), fsynced and renamed over the target: a reader
    never sees half a report, and an interrupted write leaves the old file.
    A symbolic link at the target is refused, never followed (a folder given
    as the target may itself be a link to a folder)."""
    path: Path | None = None
    if output == "-":
        sys.stdout.write(export.content)
        sys.stdout.flush()
    else:
        path = Path(output or export.default_name).expanduser()
        if path.is_dir():
            path = path / export.default_name
        if path.is_symlink():
            raise ExportPathError(
                path, "it is a symbolic link, never followed: remove it or choose another name"
            )
        write_atomic(path, export.content.encode("utf-8"))
    store.engagement(engagement_id).insert(
        ExportRecord(
            audience=export.audience,
            format=export.format,
            filename=str(path.resolve()) if path else "(standard output)",
            session=export.session,
        )
    )
    return path


__all__ = [
    "FORMATS",
    "Export",
    "ExportPathError",
    "build_export",
    "describe_os_error",
    "write_export",
]
