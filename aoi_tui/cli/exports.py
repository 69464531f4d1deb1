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
            raise CliError(i18n.t("export.choice.both"))
        if args.session is None:
            raise CliError(i18n.t("export.choice.recap_needs_session"))
        audience = Audience.RECAP
    elif args.session is not None:
        raise CliError(i18n.t("export.choice.session_needs_recap"))
    elif args.shared or args.confidential:
        audience = Audience.SHARED if args.shared else Audience.CONFIDENTIAL
    else:
        raise CliError(i18n.t("export.choice.none"))
    engagement = store.engagement(eid).engagement()
    if engagement.individual:
        if args.for_sponsor or args.participant:
            raise CliError(i18n.t("export.choice.individual"))
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
        raise CliError(i18n.t("export.choice.for_sponsor_needs_shared"))
    if args.participant and audience is not Audience.RECAP:
        raise CliError(i18n.t("export.choice.participant_needs_recap"))
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
