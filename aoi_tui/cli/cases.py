"""`aoi export ENGAGEMENT --supervision`: a case for supervision, pseudonymised.

The file names no one; what was replaced and flagged (with the original names)
is shown to the coach on the terminal only: a summary after writing, the whole
list with `--preview` (which writes nothing)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from aoi_tui.cli.common import CliError, engagement_id, open_the_store, read_note
from aoi_tui.config import i18n
from aoi_tui.exports.supervision_export import preview_lines, summary


def add_case_options(sp: argparse.ArgumentParser, who: Any) -> None:
    """The options of `aoi export` for a case (`who`: its group of documents)."""
    who.add_argument(
        "--supervision", action="store_true", help="a case for supervision, pseudonymised"
    )
    sp.add_argument(
        "--note",
        action="append",
        default=[],
        metavar="NOTE_ID",
        help="with --supervision: a note to put in the case (repeatable; none by default)",
    )
    sp.add_argument(
        "--question", default="", metavar="TEXT", help="with --supervision: your question, or -"
    )
    sp.add_argument(
        "--supervisor", metavar="NAME", help="with --supervision: recorded in the export log"
    )
    sp.add_argument(
        "--preview",
        action="store_true",
        help="with --supervision: list what is replaced and flagged, write nothing",
    )
    sp.add_argument(
        "--anyway",
        action="store_true",
        help="with --supervision: even if the agreement does not say you are supervised",
    )


def add_supervised_command(eng_sub: Any, command: Any) -> None:
    """`aoi engagement supervised ENGAGEMENT [--participant P] [--no]`."""
    sp = command(
        "supervised",
        cmd_engagement_supervised,
        "record that the agreement tells the coachee you are supervised",
        eng_sub,
    )
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument(
        "--participant", metavar="PARTICIPANT", help="in a group: this participant's (default: all)"
    )
    sp.add_argument("--no", action="store_true", help="take the line out of the agreement")


def cmd_engagement_supervised(args: argparse.Namespace) -> int:
    from aoi_tui.cli.common import out
    from aoi_tui.domain.participants import NoSuchParticipant, find_participant

    store = open_the_store(args)
    ef = store.engagement(engagement_id(store, args.engagement))
    with ef.batch():
        engagement = ef.engagement()
        people = engagement.participants
        if args.participant:
            if engagement.individual:
                raise CliError(i18n.t("access.cli.participant_individual"))
            try:
                people = [find_participant(people, args.participant)]
            except NoSuchParticipant as exc:
                raise CliError(str(exc)) from None
        for p in people:
            p.agreement = p.agreement.model_copy(update={"coach_supervised": not args.no})
        ef.update(engagement)
    out(
        args,
        {"id": ef.id, "coach_supervised": not args.no, "participants": [p.id for p in people]},
        i18n.t("supervision.cli.no_longer_says" if args.no else "supervision.cli.says"),
    )
    return 0


def cmd_export_case(args: argparse.Namespace) -> int:
    from aoi_tui.exports.supervision_case import UnknownNote
    from aoi_tui.exports.supervision_export import SUPERVISION_FORMATS, build_supervision_export
    from aoi_tui.exports.writing import ExportNotRecorded, shown, write_export

    if args.recap or args.session is not None:
        raise CliError(i18n.t("supervision.cli.whole_engagement"))
    if getattr(args, "for_sponsor", None):
        raise CliError(i18n.t("supervision.cli.for_sponsor"))
    if args.format not in SUPERVISION_FORMATS:
        raise CliError(
            i18n.t(
                "supervision.cli.formats",
                formats=", ".join(SUPERVISION_FORMATS),
                format=args.format,
            )
        )
    question = read_note(args.question) if args.question else ""
    lang = i18n.language()
    store = open_the_store(args)
    eid = engagement_id(store, args.engagement)
    try:
        case = build_supervision_export(
            store, eid, args.format, lang, question, args.note, args.supervisor
        )
    except UnknownNote as exc:
        raise CliError(
            i18n.t("supervision.cli.unknown_note", ids=exc.ids, engagement=args.engagement)
        ) from None
    if args.preview:
        print("\n".join(preview_lines(case.preview, lang)))
        return 0
    if not case.supervised and not args.anyway:
        raise CliError(i18n.t("supervision.cli.not_supervised", engagement=args.engagement))
    try:
        path = write_export(store, eid, case.export, args.output)
    except ExportNotRecorded as exc:
        raise CliError(str(exc)) from None
    if path is not None:
        print(i18n.t("export.written", path=shown(path)), file=sys.stderr)
    print(summary(case.preview, lang), file=sys.stderr)
    return 0


__all__ = ["add_case_options", "cmd_export_case"]
