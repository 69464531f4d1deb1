"""`aoi export`: the sponsor's report, the confidential file, a session's recap."""

from __future__ import annotations

import argparse
import sys
from typing import Any

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

    if args.supervision:
        from aoi_tui.cli.cases import cmd_export_case

        return cmd_export_case(args)
    if args.subject_access:
        from aoi_tui.cli.access import cmd_export_access

        return cmd_export_access(args)
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
    engagement = store.engagement(eid).engagement()
    if engagement.individual:
        if args.for_sponsor or args.participant:
            raise CliError(
                "--for-sponsor and --participant are for a collective engagement: an "
                "individual one has one N+1 and one coachee"
            )
        export = build_export(store, eid, audience, args.format, i18n.language(), args.session)
    else:
        export = _group_export(store, eid, engagement, audience, args)
    try:
        path = write_export(store, eid, export, args.output)
    except ExportNotRecorded as exc:
        raise CliError(str(exc)) from None  # written: not "nothing was changed"
    if path is not None:
        print(i18n.t("export.written", path=shown(path)), file=sys.stderr)  # one line
    return 0


def _group_export(
    store: Any, eid: str, engagement: Any, audience: Audience, args: argparse.Namespace
) -> Any:
    """A collective engagement's export: the report for one N+1 (`--for-sponsor`,
    which may be left out when the group has one), a participant's recap
    (`--participant`) or the group's, the confidential file."""
    from aoi_tui.cli.participants import named
    from aoi_tui.exports.group_export import build_group_export

    if args.for_sponsor and audience is not Audience.SHARED:
        raise CliError("--for-sponsor goes with --shared (the report for one N+1)")
    if args.participant and audience is not Audience.RECAP:
        raise CliError("--participant goes with --recap (one participant's recap of a session)")
    participant = named(engagement, args.participant).id if args.participant else None
    return build_group_export(
        store,
        eid,
        audience,
        args.format,
        i18n.language(),
        args.session,
        for_sponsor=args.for_sponsor,
        participant=participant,
    )
