"""Exports: choose what to build, render it, write it where the coach asked,
and record that it left (what, when, which format, which file name)."""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from aoi_tui.config.i18n import t
from aoi_tui.domain import clock
from aoi_tui.domain.models import Audience, ExportRecord
from aoi_tui.exports.confidential_file import (
    build_confidential_file,
    confidential_json,
    planned_sessions,
)
from aoi_tui.exports.render_html import to_html
from aoi_tui.exports.render_markdown import (
    confidential_markdown,
    confidential_page_breaks,
    recap_markdown,
    shared_markdown,
)
from aoi_tui.exports.session_recap import build_session_recap
from aoi_tui.exports.shared_report import build_shared_report
from aoi_tui.secure.durable import StoreWriteError, describe_os_error, write_atomic
from aoi_tui.store.store import Store

FORMATS = ("md", "html", "json")
JSON_VERSION = 3
"""The schema's version (docs/export-json.md). An individual engagement's
documents are still written as version 1 (their shape has not changed); a
collective engagement's are version 2; a confidential file with planned
sessions (those `next_session` does not say) is version 3."""
SHARED_FORMAT = "aoi-shared-report"
CONFIDENTIAL_FORMAT = "aoi-confidential-file"
RECAP_FORMAT = "aoi-session-recap"
WORD = "docx"
EXPORT_FORMATS = (*FORMATS, WORD)
"""Every format an export is written in: the text formats, then Word (a file
only, never standard output; built by `exports/word.py`)."""


@dataclass(frozen=True)
class Export:
    audience: Audience
    format: str
    content: str
    default_name: str
    session: int | None = None
    document: bytes | None = None  # a Word file; `content` is then its text, to preview
    recipient: str | None = None  # in a group: the N+1's name, or the participant's id

    @property
    def data(self) -> bytes:
        """The bytes written."""
        return self.document if self.document is not None else self.content.encode("utf-8")


def build_export(
    store: Store,
    engagement_id: str,
    audience: Audience,
    fmt: str,
    lang: str,
    session: int | None = None,
) -> Export:
    """`session` is required for a recap (one session's), unused otherwise. An
    individual engagement's documents; a group's are `group_export`'s."""
    if not store.engagement(engagement_id).engagement().individual:
        raise GroupExport(t("export.group.elsewhere"))
    if fmt == WORD:
        from aoi_tui.exports.word import word_file  # python-docx when asked only

        outline, document = word_file(store, engagement_id, audience, lang, session)
        return Export(
            audience=audience,
            format=WORD,
            content=outline,
            default_name=export_name(engagement_id, audience, WORD, session),
            session=session,
            document=document,
        )
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
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
            version, body = confidential_json(cf, planned_sessions(ef))
            content = _json(CONFIDENTIAL_FORMAT, lang, body, version)
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
    name = export_name(engagement_id, audience, fmt, session)
    return Export(
        audience=audience, format=fmt, content=content, default_name=name, session=session
    )


def export_name(engagement_id: str, audience: Audience, fmt: str, session: int | None) -> str:
    """The file's name when the coach gives a folder or none: no person's name."""
    which = f"{audience.value}-s{session}" if audience is Audience.RECAP else audience.value
    return f"aoi-{engagement_id[:8]}-{which}-{clock.today().isoformat()}.{fmt}"


def _json(kind: str, lang: str, body: dict[str, object], version: int = 1) -> str:
    """A JSON document of the schema's `version` (docs/export-json.md): 1 for an
    individual engagement's documents, which keep their shape, 2 for what a
    collective engagement adds."""
    doc = {"format": kind, "version": version, "lang": lang, **body}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class GroupExport(ValueError):
    """A collective engagement's documents are built by `group_export` (the
    report for one N+1, a participant's recap or the group's)."""


class ExportPathError(StoreWriteError):
    """The output path is refused before anything is written."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(path, OSError(errno.EINVAL, reason))


class ExportNotRecorded(Exception):
    """The export was written, but recording it in the engagement failed: the file
    is out there, and the engagement screen does not list it."""

    def __init__(self, path: Path | None, cause: BaseException) -> None:
        where = shown(path) if path is not None else "-"
        super().__init__(t("export.not_recorded", path=where, reason=str(cause)))
        self.path = path
        self.cause = cause


STDOUT_NAMES = ("-", "/dev/stdout")
"""Standard output. /dev/stdout is written as `-` is, so that `-o /dev/stdout > file`
writes into the shell's file rather than over it."""


def shown(path: Path) -> str:
    """A path as one line of a message (a name may hold a newline or an escape)."""
    text = str(path)
    return text if text.isprintable() else repr(text)


def output_path(store: Store, output: str | None, default_name: str) -> Path | None:
    """Where `output` writes: None for standard output, else a path checked to be
    outside the data folder. Raises ExportPathError."""
    if output in STDOUT_NAMES:
        return None
    raw = output or default_name
    try:
        path = Path(raw).expanduser()
    except RuntimeError:
        # Path.expanduser's "Could not determine home directory"
        user = raw[1:].split("/", 1)[0]
        raise ExportPathError(
            Path(raw),
            t("write.no_user", user=repr(user)) if user else t("write.no_home"),
        ) from None
    if path.is_dir():
        path = path / default_name
    if _inside(path, store.root):
        raise ExportPathError(path, t("write.data_folder"))
    return path


def _inside(path: Path, root: Path) -> bool:
    """Whether `path` is the data folder or in it, however spelled: `..`, symbolic
    links (resolved), or another name for the same folder (a bind mount, a
    case-insensitive file system), found by comparing folders' identities."""
    root = root.resolve()
    target = path.resolve()
    if target == root or root in target.parents:
        return True
    try:
        root_stat = root.stat()
    except OSError:
        return False
    for folder in (target, *target.parents):
        try:
            if os.path.samestat(folder.stat(), root_stat):
                return True
        except OSError:
            continue  # not there yet (a new file, a new name)
    return False


def write_export(
    store: Store, engagement_id: str, export: Export, output: str | None
) -> Path | None:
    """Write to `output` (a path, or "-" or /dev/stdout for standard output;
    default: a file in the current folder) and record the export. Returns the
    path (None for standard output).

    Never inside the data folder. A regular file (or a new name) is written whole
    to a temporary file in the target folder (mode 0600 from its creation),
    fsynced and renamed over the target: a reader never sees half a report, and an
    interrupted write leaves the old file. A character device or a FIFO is written
    into, as a shell's `>` does (never replaced, never chmod'ed); any other kind of
    file is refused. A symbolic link at the target is followed only to a device or
    a FIFO (/dev/stdout, /dev/tty), never to a file (a folder given as the target
    may itself be a link to a folder).

    The file written, a failure to record it raises ExportNotRecorded."""
    path = output_path(store, output, export.default_name)
    data = export.data
    if path is None and export.document is not None:
        raise ExportPathError(Path("-"), t("write.word_to_stdout"))
    if path is None:
        sys.stdout.write(export.content)
        sys.stdout.flush()
        recorded = "(standard output)"
    elif _write_into_special(path, data, binary=export.document is not None):
        recorded = str(path.absolute())
    else:
        write_atomic(path, data)
        recorded = str(path.resolve())
    try:
        store.engagement(engagement_id).insert(
            ExportRecord(
                audience=export.audience,
                format=export.format,
                filename=recorded,
                session=export.session,
                recipient=export.recipient,
            )
        )
    except Exception as exc:
        raise ExportNotRecorded(path, exc) from exc
    return path


def _write_into_special(path: Path, data: bytes, binary: bool = False) -> bool:
    """Write into a character device or a FIFO at `path`, as a shell's `>` does.
    False when `path` is a regular file or does not exist (the caller writes it
    atomically); ExportPathError for anything else."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreWriteError(path, exc) from exc
    if stat.S_ISLNK(mode):
        try:
            mode = path.stat().st_mode
        except OSError:
            mode = 0  # a dangling link
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            raise ExportPathError(path, t("write.symlink"))
    if stat.S_ISREG(mode):
        return False
    if stat.S_ISDIR(mode):  # a folder made between the check and now
        raise ExportPathError(path, t("write.folder"))
    if stat.S_ISBLK(mode):
        raise ExportPathError(path, t("write.block_device"))
    if stat.S_ISSOCK(mode):
        raise ExportPathError(path, t("write.socket"))
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        raise ExportPathError(path, t("write.special"))
    try:
        # O_NONBLOCK: a FIFO nobody reads is refused at once instead of hanging.
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise ExportPathError(path, t("write.no_reader")) from None
        raise StoreWriteError(path, exc) from exc
    try:
        opened = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(opened) or stat.S_ISFIFO(opened)):
            raise ExportPathError(path, t("write.replaced"))
        if binary and os.isatty(fd):
            raise ExportPathError(path, t("write.terminal"))
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        if isinstance(exc, StoreWriteError):
            raise
        raise StoreWriteError(path, exc) from exc
    finally:
        os.close(fd)
    return True


__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "WORD",
    "Export",
    "ExportNotRecorded",
    "ExportPathError",
    "GroupExport",
    "build_export",
    "describe_os_error",
    "export_name",
    "write_document",
    "write_export",
]


def write_document(store: Store, output: str | None, default_name: str, data: bytes) -> Path | None:
    """A document of the coach's practice, not of one engagement (the calendar, the
    hours log): written as `write_export` writes (never into the data folder, a
    regular file whole and 0600, a FIFO or a character device written into, any
    other kind refused), without an engagement's export record. None: standard output."""
    path = output_path(store, output, default_name)
    if path is None:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
    elif not _write_into_special(path, data):
        write_atomic(path, data)
    return path
