"""A person's access to their data as files: the HTML and the JSON of
`subject_access`, as `Export`s that `writing.write_export` writes and records
(the person as the recipient)."""

from __future__ import annotations

import stat
from pathlib import Path

from aoi_tui.domain.vocabulary import Audience
from aoi_tui.exports.subject_access import access_html, access_json, build_access_file
from aoi_tui.exports.writing import Export, ExportPathError, export_name, output_path, shown
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


class AccessFolderError(ValueError):
    """The folder given cannot take the answer (said in one line)."""


def access_folder(store: Store, output: str | None) -> Path:
    """The folder the answer is written into: given, a folder (made if absent,
    0700), never the data folder nor anything but a folder (a file, a FIFO, a
    device). Raises AccessFolderError."""
    if not output or not output.strip() or output in ("-", "/dev/stdout"):
        raise AccessFolderError("the answer is two files: give a folder to write them into")
    try:
        folder = Path(output).expanduser()
    except RuntimeError:
        raise AccessFolderError(f"cannot use {output}: no home folder is known here") from None
    try:
        kind: int | None = folder.stat().st_mode
    except FileNotFoundError:
        kind = None
    except OSError as exc:
        raise AccessFolderError(f"cannot use {output}: {exc.strerror}") from None
    if kind is not None and not stat.S_ISDIR(kind):
        raise AccessFolderError(f"{output} is not a folder: give a folder, new or existing")
    try:
        output_path(store, str(folder / "answer"), "answer")  # the data folder, however spelled
    except ExportPathError:  # said of the folder given, not of the name checked inside it
        raise AccessFolderError(
            f"{shown(Path(output))} is in aoi's data folder, which only aoi writes: "
            "choose a folder elsewhere"
        ) from None
    if kind is None:
        try:
            folder.mkdir(mode=0o700, parents=True)
        except OSError as exc:
            raise AccessFolderError(f"cannot make the folder {output}: {exc.strerror}") from None
    return folder


def check_answer_names(folder: Path, exports: list[Export]) -> None:
    """Before either file is written: each name the answer takes in `folder` is
    free or a regular file (written over). A link, a FIFO, a device or a folder
    there is refused then, so that the answer is never left half written (the
    HTML written and recorded, the JSON refused). Raises AccessFolderError."""
    for export in exports:
        target = folder / export.default_name
        try:
            kind = target.lstat().st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise AccessFolderError(f"cannot use {shown(target)}: {exc.strerror}") from None
        if not stat.S_ISREG(kind):
            raise AccessFolderError(
                f"{shown(target)} is there and is not a file (a link, a pipe, a device or "
                "a folder): choose another folder"
            )


__all__ = ["AccessFolderError", "access_folder", "build_access_exports", "check_answer_names"]
