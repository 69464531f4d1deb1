"""`aoi export ENGAGEMENT --subject-access [--participant P] -o FOLDER`: what the
store holds about one person (GDPR article 15), as HTML and JSON in a folder,
for the coach to review and hand over."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from aoi_tui.cli.common import CliError, engagement_id, open_the_store
from aoi_tui.config import i18n


def add_access_options(who: Any) -> None:
    who.add_argument(
        "--subject-access",
        action="store_true",
        help="a person's own data, on their request (GDPR art. 15): -o FOLDER",
    )


def cmd_export_access(args: argparse.Namespace) -> int:
    from aoi_tui.domain.participants import NoSuchParticipant
    from aoi_tui.exports.subject_access import NoSuchPerson
    from aoi_tui.exports.subject_access_export import (
        AccessFolderError,
        access_folder,
        build_access_exports,
        check_answer_names,
    )
    from aoi_tui.exports.writing import ExportNotRecorded, shown, write_export

    if args.recap or args.session is not None or getattr(args, "for_sponsor", None):
        raise CliError(i18n.t("access.cli.only_access"))
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
    try:
        folder = access_folder(store, args.output)
        check_answer_names(folder, exports)
    except AccessFolderError as exc:
        raise CliError(f"--subject-access: {exc} (-o FOLDER)") from None
    for export in exports:
        try:
            path = write_export(store, eid, export, str(folder))
        except ExportNotRecorded as exc:
            raise CliError(str(exc)) from None
        if path is not None:
            print(i18n.t("export.written", path=shown(path)), file=sys.stderr)
    if flagged:
        print(i18n.plural("access.to_review", flagged), file=sys.stderr)
    return 0


# -- the register of access requests ----------------------------------------------------------


def add_access_request_commands(sub: Any, command: Any) -> None:
    """`aoi access-request add|list|answer|extend`."""
    from aoi_tui.cli.common import parse_date

    reg = sub.add_parser("access-request", help="the register of requests for one's data (GDPR)")
    reg_sub = reg.add_subparsers(title="access-request commands", metavar="ACTION", required=True)
    sp = command("add", cmd_access_request_add, "record a request received", reg_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--participant", metavar="PARTICIPANT", help="in a group: whose request")
    sp.add_argument("--received", type=parse_date, required=True, metavar="YYYY-MM-DD")
    sp.add_argument("--identity", default="", metavar="TEXT", help="how their identity was checked")
    sp = command("list", cmd_access_request_list, "the requests and their deadlines", reg_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT", nargs="?", help="default: every one")
    sp.add_argument("--open", action="store_true", help="only those not answered yet")
    sp = command("answer", cmd_access_request_answer, "record the answer sent", reg_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("request", metavar="ID")
    sp.add_argument("--on", type=parse_date, required=True, metavar="YYYY-MM-DD")
    sp.add_argument("--withheld", default="", metavar="TEXT", help="what was withheld, and why")
    sp.add_argument("--note", default="", metavar="TEXT")
    sp = command("extend", cmd_access_request_extend, "two more months, with the reason", reg_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("request", metavar="ID")
    sp.add_argument("--reason", required=True, metavar="TEXT")


def _request(ef: Any, request_id: str) -> Any:
    from aoi_tui.domain.access_requests import AccessRequest

    found = [r for r in ef.all(AccessRequest) if r.id == request_id]
    if not found:
        raise CliError(i18n.t("access.cli.no_request", id=request_id))
    return found[0]


def _save(store: Any, ef: Any, record: Any, insert: bool = False) -> None:
    (ef.insert if insert else ef.update)(record)
    store.refresh_summary(ef.id)  # the list shows the nearest deadline


def _checked(make: Any) -> Any:
    from pydantic import ValidationError

    from aoi_tui.domain.problems import first_problem

    try:
        return make()
    except ValidationError as exc:
        raise CliError(first_problem(exc)) from None


def cmd_access_request_add(args: argparse.Namespace) -> int:
    from aoi_tui.cli.common import out
    from aoi_tui.domain import clock
    from aoi_tui.domain.access_requests import AccessRequest
    from aoi_tui.domain.participants import NoSuchParticipant, find_participant

    if args.received > clock.today():
        raise CliError(i18n.t("access.cli.future_received", day=args.received.isoformat()))
    store = open_the_store(args)
    ef = store.engagement(engagement_id(store, args.engagement))
    eng = ef.engagement()
    if eng.individual:
        if args.participant:
            raise CliError(i18n.t("access.cli.participant_individual"))
        person = eng.participants[0]
    elif not args.participant:
        raise CliError(i18n.t("access.cli.whose_request"))
    else:
        try:
            person = find_participant(eng.participants, args.participant)
        except NoSuchParticipant as exc:
            raise CliError(str(exc)) from None
    request = _checked(
        lambda: AccessRequest(participant=person.id, received=args.received, identity=args.identity)
    )
    _save(store, ef, request, insert=True)
    out(
        args,
        {"id": request.id, "deadline": request.deadline.isoformat()},
        i18n.t(
            "access.cli.recorded",
            id=request.id,
            deadline=request.deadline.isoformat(),
            command=f"aoi export {args.engagement} --subject-access"
            + (f" --participant {person.id}" if not eng.individual else "")
            + " -o FOLDER",
        ),
    )
    return 0


def cmd_access_request_list(args: argparse.Namespace) -> int:
    from aoi_tui.cli.common import out
    from aoi_tui.domain import clock
    from aoi_tui.domain.access_requests import AccessRequest, due_soon

    store = open_the_store(args)
    ids = (
        [engagement_id(store, args.engagement)]
        if args.engagement
        else [s.id for s in store.list_engagements()]
    )
    today = clock.today()
    rows = []
    for eid in ids:
        for r in sorted(store.engagement(eid).all(AccessRequest), key=lambda r: r.received):
            if args.open and not r.open:
                continue
            rows.append(
                {
                    "id": r.id,
                    "engagement": eid,
                    "participant": r.participant,
                    "received": r.received.isoformat(),
                    "deadline": r.deadline.isoformat(),
                    "extended": r.extended,
                    "extension_reason": r.extension_reason,
                    "identity": r.identity,
                    "answered_on": r.answered_on.isoformat() if r.answered_on else None,
                    "withheld": r.withheld,
                    "note": r.note,
                    "due_soon": r.open and due_soon(r.deadline, today),
                }
            )

    def human() -> str:
        if not rows:
            return i18n.t("access.cli.none")
        lines = []
        for row in rows:
            state = (
                i18n.t("access.cli.answered_on", day=row["answered_on"])
                if row["answered_on"]
                else (i18n.t("access.cli.due_soon") if row["due_soon"] else "")
                + i18n.t("access.cli.answer_by", day=row["deadline"])
            )
            lines.append(
                i18n.t(
                    "access.cli.row",
                    id=row["id"],
                    engagement=row["engagement"],
                    participant=row["participant"],
                    received=row["received"],
                    state=state,
                    extended=i18n.t("access.cli.extended_mark") if row["extended"] else "",
                )
            )
        return "\n".join(lines)

    out(args, rows, human)
    return 0


def cmd_access_request_answer(args: argparse.Namespace) -> int:
    from aoi_tui.cli.common import out
    from aoi_tui.domain import clock

    if args.on > clock.today():
        raise CliError(i18n.t("access.cli.future_answered", day=args.on.isoformat()))
    store = open_the_store(args)
    ef = store.engagement(engagement_id(store, args.engagement))
    request = _request(ef, args.request)
    if request.answered_on is not None:  # the day an answer left is a record: kept
        raise CliError(
            i18n.t(
                "access.cli.answered_already", id=request.id, day=request.answered_on.isoformat()
            )
        )
    if args.on < request.received:
        raise CliError(
            i18n.t(
                "access.cli.before_received",
                day=args.on.isoformat(),
                received=request.received.isoformat(),
            )
        )
    changed = _checked(
        lambda: request.model_validate(
            request.model_dump()
            | {"answered_on": args.on, "withheld": args.withheld, "note": args.note}
        )
    )
    _save(store, ef, changed)
    late = args.on > request.deadline
    out(
        args,
        {"id": changed.id, "answered_on": args.on.isoformat(), "late": late},
        i18n.t(
            "access.cli.answered_late" if late else "access.cli.answered",
            id=changed.id,
            day=args.on.isoformat(),
            deadline=request.deadline.isoformat(),
        ),
    )
    return 0


def cmd_access_request_extend(args: argparse.Namespace) -> int:
    from aoi_tui.cli.common import out

    store = open_the_store(args)
    ef = store.engagement(engagement_id(store, args.engagement))
    request = _request(ef, args.request)
    if not request.open:
        raise CliError(i18n.t("access.cli.closed"))
    if request.extended:
        raise CliError(i18n.t("access.cli.extended_already"))
    if not args.reason.strip():
        raise CliError(i18n.t("access.cli.no_reason"))
    changed = _checked(
        lambda: request.model_validate(
            request.model_dump() | {"extended": True, "extension_reason": args.reason}
        )
    )
    _save(store, ef, changed)
    out(
        args,
        {"id": changed.id, "deadline": changed.deadline.isoformat()},
        i18n.t("access.cli.extended", id=changed.id, deadline=changed.deadline.isoformat()),
    )
    return 0


__all__ = [
    "add_access_options",
    "add_access_request_commands",
    "cmd_access_request_add",
    "cmd_access_request_answer",
    "cmd_access_request_extend",
    "cmd_access_request_list",
    "cmd_export_access",
]
