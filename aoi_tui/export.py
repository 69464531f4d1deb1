"""Exports: choose what to build, render it, write it where the coach asked,
and record that it left (what, when, which format, which file name)."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from aoi_tui import clock
from aoi_tui.confidential_file import build_confidential_file
from aoi_tui.durable import StoreWriteError, describe_os_error
from aoi_tui.i18n import t
from aoi_tui.models import Audience, ExportRecord, SessionKind
from aoi_tui.render_html import to_html
from aoi_tui.render_markdown import confidential_markdown, recap_markdown, shared_markdown
from aoi_tui.session_recap import build_session_recap
from aoi_tui.shared_report import build_shared_report
from aoi_tui.store import Store

FORMATS = ("md", "html", "json")
JSON_VERSION = 1


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
    if audience is Audience.SHARED:
        report = build_shared_report(ef)
        title = f"{t('export.shared.title', lang)} — {report.coachee}"
        banner = None
        if fmt == "json":
            content = _json("aoi-shared-report", lang, report.model_dump(mode="json"))
        else:
            content = shared_markdown(report, lang)
    elif audience is Audience.CONFIDENTIAL:
        cf = build_confidential_file(ef)
        title = f"{t('export.confidential.title', lang)} — {cf.engagement.coachee}"
        banner = t("export.confidential.banner", lang)
        if fmt == "json":
            content = _json("aoi-confidential-file", lang, cf.model_dump(mode="json"))
        else:
            content = confidential_markdown(cf, lang)
    else:
        if session is None:
            raise ValueError("a recap is of one session: give its number (--session N)")
        recap = build_session_recap(ef, session)
        title = f"{t('export.recap.title', lang)} — {recap.coachee}"
        banner = None
        if fmt == "json":
            content = _json("aoi-session-recap", lang, recap.model_dump(mode="json"))
        else:
            content = recap_markdown(recap, lang)
    if fmt == "html":
        prefixes = tuple(t(f"session.kind.{k.value}", lang) for k in SessionKind)
        content = to_html(content, title, lang, banner=banner, session_prefixes=prefixes)
    which = f"{audience.value}-s{session}" if audience is Audience.RECAP else audience.value
    name = f"aoi-{engagement_id[:8]}-{which}-{clock.today().isoformat()}.{fmt}"
    return Export(
        audience=audience, format=fmt, content=content, default_name=name, session=session
    )


def _json(kind: str, lang: str, body: dict[str, object]) -> str:
    doc = {"format": kind, "version": JSON_VERSION, "lang": lang, **body}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write_export(
    store: Store, engagement_id: str, export: Export, output: str | None
) -> Path | None:
    """Write to `output` (a path, or "-" for standard output; default: a file in
    the current folder), mode 0600, and record the export. Returns the path."""
    path: Path | None = None
    if output == "-":
        sys.stdout.write(export.content)
        sys.stdout.flush()
    else:
        path = Path(output or export.default_name).expanduser()
        if path.is_dir():
            path = path / export.default_name
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                # An existing file keeps its mode on open: tighten it before any byte lands.
                os.fchmod(f.fileno(), 0o600)
                f.write(export.content)
        except OSError as exc:
            raise StoreWriteError(path, exc) from exc
    store.engagement(engagement_id).insert(
        ExportRecord(
            audience=export.audience,
            format=export.format,
            filename=str(path.resolve()) if path else "(standard output)",
            session=export.session,
        )
    )
    return path


__all__ = ["FORMATS", "Export", "build_export", "describe_os_error", "write_export"]
