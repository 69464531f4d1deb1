"""`aoi export`: the sponsor's report, the confidential file, a session's recap."""

from __future__ import annotations

import argparse
import sys

from aoi_tui.cli.common import (
    CliError,
    engagement_id,
    open_the_store,
)
from aoi_tui.config import i18n
from aoi_tui.domain.vocabulary import (
    Audience,
)


def cmd_export(args: argparse.Namespace) -> int:
    from aoi_tui.exports.writing import ExportNotRecorded, build_export, shown, write_export

    store = open_the_store(args)
    eid = engagement_id(store, args.engagement)
    if args.recap:
        if args.shared or args.confidential:
            raise CliError("choose one export: --shared, --confidential, or --session N --recap")
        if args.session is None:
            raise CliError("--recap is the recap of one session: add --session N")
        audience = Audience.RECAP
    elif args.session is not None:
        raise CliError("--session goes with --recap (the recap of one session)")
    elif args.shared or args.confidential:
        audience = Audience.SHARED if args.shared else Audience.CONFIDENTIAL
    else:
        raise CliError("say what to export: --shared, --confidential, or --session N --recap")
    export = build_export(store, eid, audience, args.format, i18n.language(), args.session)
    try:
        path = write_export(store, eid, export, args.output)
    except ExportNotRecorded as exc:
        raise CliError(str(exc)) from None  # written: not "nothing was changed"
    if path is not None:
        print(i18n.t("export.written", path=shown(path)), file=sys.stderr)  # one line
    return 0
