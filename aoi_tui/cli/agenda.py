"""The coach's agenda and records (issue 15 §1, §2): `aoi engagement plan`,
`cancel`, `planned`, `hours-log`; `aoi calendar`; `aoi hours`.

The parser's part (`add_agenda_commands`) is light: the commands load the
domain, the store's records and `icalendar` only when they run."""

from __future__ import annotations

import argparse
from typing import Any

from aoi_tui.cli.common import CliError, engagement_id, open_the_store, out, parse_date, yes_no


def add_agenda_commands(sub: Any, eng_sub: Any, command: Any) -> None:
    sp = command("plan", cmd_plan, "plan a session (prints its id)", eng_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument(
        "--at", required=True, metavar='"YYYY-MM-DD HH:MM"', help="in your time zone (time_zone)"
    )
    sp.add_argument("--minutes", type=int, metavar="N", help="1 to 720 (default 90)")
    sp.add_argument("--kind", metavar="KIND", help="the kind of session (default: none said)")
    sp.add_argument("--place", metavar="TEXT", help="where (in the calendar only with names on)")
    sp = command(
        "cancel", cmd_cancel, "a planned session is cancelled (--by) or a no-show", eng_sub
    )
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("planned", metavar="PLANNED_ID")
    how = sp.add_mutually_exclusive_group(required=True)
    how.add_argument("--by", choices=["coachee", "sponsor", "coach"], help="who cancelled")
    how.add_argument("--no-show", action="store_true", help="the session did not take place")
    sp.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="when (default today)")
    sp = command("planned", cmd_planned, "list an engagement's planned sessions", eng_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp = command(
        "hours-log", cmd_hours_log_set, "paid or pro bono; who is named in the hours log", eng_sub
    )
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--pro-bono", type=yes_no, metavar="yes|no")
    sp.add_argument("--participant", metavar="PARTICIPANT", help="in a group: whose")
    sp.add_argument("--listed", type=yes_no, metavar="yes|no", help="agreed to be named")
    sp.add_argument("--email", metavar="ADDRESS", help="the contact e-mail in the log")

    sp = command(
        "calendar", cmd_calendar, "write the planned sessions as an iCalendar file", json_flag=False
    )
    sp.add_argument("-o", "--output", metavar="FILE", help="default aoi.ics; - for stdout")
    sp = command("hours", cmd_hours, "the coaching hours log (credential)", json_flag=False)
    sp.add_argument("--from", dest="start", type=parse_date, metavar="YYYY-MM-DD")
    sp.add_argument("--to", dest="end", type=parse_date, metavar="YYYY-MM-DD")
    sp.add_argument("--format", choices=["csv", "md"], default="csv")
    sp.add_argument("-o", "--output", metavar="FILE", help="default aoi-hours.csv|md; - for stdout")


def _kind(value: str | None) -> Any:
    from aoi_tui.config.i18n import t
    from aoi_tui.domain.vocabulary import SessionKind

    if value is None:
        return None
    try:
        return SessionKind(value)
    except ValueError:
        choices = ", ".join(k.value for k in SessionKind)
        raise CliError(t("plan.cli.bad_kind", value=value, choices=choices)) from None


def cmd_plan(args: argparse.Namespace) -> int:
    from aoi_tui.config.i18n import t
    from aoi_tui.domain.planning import PlanningError, coach_zone, plan, zone_problem

    zone = coach_zone(args.settings.time_zone)
    problem = zone_problem(zone)
    if problem:
        raise CliError(problem)
    try:
        planned = plan(
            args.at, zone, minutes=args.minutes, kind=_kind(args.kind), place=args.place or ""
        )
    except PlanningError as exc:
        raise CliError(str(exc)) from None
    from aoi_tui.store.agenda import add_planned

    store = open_the_store(args)
    try:
        add_planned(store, engagement_id(store, args.engagement), planned)
    except PlanningError as exc:
        raise CliError(str(exc)) from None
    assert planned.at is not None
    said = t(
        "plan.planned",
        kind=t(f"session.kind.{planned.kind.value}") if planned.kind else "—",
        date=planned.on.isoformat(),
        hour=planned.at.isoformat(timespec="minutes"),
        zone=zone,
        minutes=planned.minutes,
    )
    out(args, planned.model_dump(mode="json"), planned.id)
    if not getattr(args, "json", False):
        import sys

        print(said, file=sys.stderr)
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    from aoi_tui.domain.planning import CancelledBy, PlanningError
    from aoi_tui.store.agenda import mark_planned

    store = open_the_store(args)
    eid = engagement_id(store, args.engagement)
    try:
        planned = mark_planned(
            store,
            eid,
            args.planned,
            by=None if args.no_show else CancelledBy(args.by),
            on=args.date,
        )
    except PlanningError as exc:
        raise CliError(str(exc)) from None
    out(args, planned.model_dump(mode="json"), f"{planned.id} {planned.status.value}")
    return 0


def cmd_planned(args: argparse.Namespace) -> int:
    from aoi_tui.config.i18n import t
    from aoi_tui.domain import clock
    from aoi_tui.domain.planning import PlannedSession, PlanStatus, overdue

    store = open_the_store(args)
    ef = store.engagement(engagement_id(store, args.engagement))
    planned = sorted(ef.all(PlannedSession), key=lambda p: (p.on, p.at or p.created_at.time()))
    held = [s.held_on for s in ef.sessions()]
    today = clock.today()

    def status(p: PlannedSession) -> str:
        if p.status is PlanStatus.CANCELLED and p.cancelled_by is not None:
            day = p.cancelled_on.isoformat() if p.cancelled_on else "?"
            return t("plan.cancelled_by", who=t(f"plan.by.{p.cancelled_by.value}"), date=day)
        if p.status is PlanStatus.NO_SHOW:
            return t("plan.no_show")
        return t("plan.overdue") if overdue(p, held, today) else ""

    def human() -> str:
        if not planned:
            return t("plan.none")
        return "\n".join(
            t(
                "plan.line",
                id=p.id[:8],
                date=p.on.isoformat(),
                hour=p.at.isoformat(timespec="minutes") if p.at else t("plan.all_day"),
                minutes=p.minutes or "—",
                kind=t(f"session.kind.{p.kind.value}") if p.kind else "—",
                status=status(p),
            ).rstrip()
            for p in planned
        )

    out(args, [p.model_dump(mode="json") for p in planned], human)
    return 0


def cmd_hours_log_set(args: argparse.Namespace) -> int:
    from aoi_tui.config.i18n import t

    if args.pro_bono is None and args.listed is None and args.email is None:
        raise CliError(t("plan.cli.say_what"))
    store = open_the_store(args)
    ef = store.engagement(engagement_id(store, args.engagement))
    with ef.batch():
        engagement = ef.engagement()
        if args.pro_bono is not None:
            engagement.pro_bono = args.pro_bono
        if args.listed is not None or args.email is not None:
            if engagement.individual and args.participant is None:
                person = engagement.one_participant
            else:
                from aoi_tui.domain.participants import NoSuchParticipant, find_participant

                if args.participant is None:
                    raise CliError(t("plan.cli.whose"))
                try:
                    person = find_participant(engagement.participants, args.participant)
                except NoSuchParticipant as exc:
                    raise CliError(str(exc)) from None
            if args.listed is not None:
                person.agreement = person.agreement.model_copy(
                    update={"listed_in_hours_log": args.listed}
                )
            if args.email is not None:
                person.email = args.email
        ef.save_engagement(engagement)
    store.refresh_summary(ef.id)
    what = ", ".join(
        f"{k}={v}"
        for k, v in (("pro_bono", args.pro_bono), ("listed", args.listed), ("email", args.email))
        if v is not None
    )
    out(args, {"id": ef.id, "pro_bono": engagement.pro_bono}, t("hours.set", what=what))
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    import sys

    from aoi_tui.config.i18n import plural, t
    from aoi_tui.exports.calendar_file import build_calendar, calendar_events
    from aoi_tui.exports.writing import shown, write_document

    store = open_the_store(args)
    events = calendar_events(store, names=args.settings.calendar_names)
    path = write_document(store, args.output, "aoi.ics", build_calendar(events))
    if path is not None:
        events_n = plural("calendar.events", len(events))
        print(t("calendar.written", path=shown(path), events=events_n), file=sys.stderr)
    return 0


def cmd_hours(args: argparse.Namespace) -> int:
    import sys

    from aoi_tui.config.i18n import t
    from aoi_tui.exports.hours_log import gather, render_csv, render_markdown
    from aoi_tui.exports.writing import shown, write_document

    if args.start and args.end and args.start > args.end:
        raise CliError(t("hours.bad_period"))
    store = open_the_store(args)
    left_out = args.settings.hours_left_out
    log = gather(store, left_out, args.start, args.end)
    render = render_csv if args.format == "csv" else render_markdown
    text = render(log, left_out)
    path = write_document(store, args.output, f"aoi-hours.{args.format}", text.encode("utf-8"))
    if path is not None:
        print(t("hours.written", path=shown(path)), file=sys.stderr)
    return 0


__all__ = ["add_agenda_commands"]
