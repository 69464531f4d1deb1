"""`aoi export ENGAGEMENT --subject-access [--participant P] -o FOLDER`: what the
store holds about one person (GDPR article 15), as HTML and JSON in a folder,
for the coach to review and hand over."""

from __future__ import annotations

import argparse
import stat
import sys
from pathlib import Path
from typing import Any

from aoi_tui.cli.common import CliError, engagement_id, open_the_store
from aoi_tui.config import i18n


def add_access_options(who: Any) -> None:
    who.add_argument(
        "--subject-access",
        action="store_true",
        help="a person's own data, on their request (GDPR art. 15): -o FOLDER",
    )


def _folder(store: Any, output: str | None) -> Path:
    """The folder to write into: given, a folder (made if absent, 0700), never
    the data folder nor anything but a folder."""
    from aoi_tui.exports.writing import ExportPathError, output_path

    if not output or output in ("-", "/dev/stdout"):
        raise CliError("--subject-access writes two files into a folder: give it with -o FOLDER")
    folder = Path(output).expanduser()
    try:
        kind = folder.lstat().st_mode
    except FileNotFoundError:
        kind = None
    except OSError as exc:
        raise CliError(f"cannot use {output}: {exc.strerror}") from None
    if kind is not None and not stat.S_ISDIR(kind):
        raise CliError(f"{output} is not a folder: give a folder (-o FOLDER), new or existing")
    try:
        output_path(store, str(folder / "x"), "x")  # refuses the data folder, however spelled
    except ExportPathError as exc:
        raise CliError(str(exc)) from None
    if kind is None:
        try:
            folder.mkdir(mode=0o700, parents=True)
        except OSError as exc:
            raise CliError(f"cannot make the folder {output}: {exc.strerror}") from None
    return folder


def cmd_export_access(args: argparse.Namespace) -> int:
    from aoi_tui.domain.participants import NoSuchParticipant
    from aoi_tui.exports.subject_access import NoSuchPerson
    from aoi_tui.exports.subject_access_export import build_access_exports
    from aoi_tui.exports.writing import ExportNotRecorded, shown, write_export

    if args.recap or args.session is not None or getattr(args, "for_sponsor", None):
        raise CliError("--subject-access is all of one person's data: leave out the other options")
    store = open_the_store(args)
    eid = engagement_id(store, args.engagement)
    try:
        exports, flagged = build_access_exports(
            store,
            eid,
            args.participant,
            i18n.language(),
            controller=args.settings.controller,
            retention_days=args.settings.retention_days,
        )
    except (NoSuchPerson, NoSuchParticipant) as exc:
        raise CliError(str(exc)) from None
    folder = _folder(store, args.output)
    for export in exports:
        try:
            path = write_export(store, eid, export, str(folder))
        except ExportNotRecorded as exc:
            raise CliError(str(exc)) from None
        if path is not None:
            print(i18n.t("export.written", path=shown(path)), file=sys.stderr)
    if flagged:
        print(
            f"{flagged} text(s) name other people or the whole group: review them before "
            "sending (listed at the top of the HTML)",
            file=sys.stderr,
        )
    return 0


__all__ = ["add_access_options", "cmd_export_access"]
