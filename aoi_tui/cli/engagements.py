"""`aoi demo`, `aoi engagement new|list|consent|close|withdraw`, `aoi session new`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from aoi_tui.cli.common import (
    CliError,
    data_root,
    engagement_id,
    fail,
    open_the_store,
    out,
)
from aoi_tui.config import i18n
from aoi_tui.domain import clock
from aoi_tui.domain.vocabulary import (
    PLANNED_SESSIONS,
    Format,
    SessionKind,
    Status,
)
from aoi_tui.store.store import Store, store_exists


def cmd_demo(args: argparse.Namespace) -> int:
    from aoi_tui.demo import create_demos, create_group_demo

    store = open_the_store(args, create=True)
    # the team's demo comes with the others; --group names it
    eid, created = create_group_demo(store) if args.group else create_demos(store)
    out(
        args,
        {"id": eid, "created": created},
        i18n.t("cli_said.demo_created" if created else "cli_said.demo_there", id=eid)
        + ("" if args.group else " (and a team's: aoi demo --group prints its id)"),
    )
    return 0


def _summary_json(store: Store, retention_days: int | None = None) -> list[dict[str, Any]]:
    from aoi_tui.domain.access_requests import due_soon

    today = clock.today()
    return [
        {
            "id": s.id,
            "coachee": s.coachee,
            "sponsor": s.sponsor,
            "coach": s.coach,
            "status": s.status,
            "format": s.format,
            "sessions_held": s.sessions_held,
            "planned_sessions": s.planned_sessions,
            "last_session": s.last_session.isoformat() if s.last_session else None,
            "next_session": s.next_session.isoformat() if s.next_session else None,
            "cadence_days": s.cadence_days,
            "overdue_days": s.cadence_overdue(today),
            "ended_on": s.ended_on.isoformat() if s.ended_on else None,
            "retention_due": s.retention_due(today, retention_days),
            "access_due": s.access_due.isoformat()
            if due_soon(s.access_due, today) and s.access_due
            else None,
            "demo": s.demo,
        }
        for s in store.list_engagements()
    ]


def _who(args: argparse.Namespace) -> dict[str, Any]:
    """Who the new engagement is with: its coachee, or a group's form, name and
    participants (each with nothing reported until they agree: `Participant`)."""
    from aoi_tui.domain.models import Agreement, Form, Participant
    from aoi_tui.domain.participants import same_person

    if args.group is None:
        if args.form or args.participant:
            raise CliError(
                "--form and --participant go with --group NAME (a collective engagement)"
            )
        missing = [
            o for o, v in (("--coachee", args.coachee), ("--sponsor", args.sponsor)) if not v
        ]
        if missing:
            fail(
                f"the following arguments are required: {', '.join(missing)} "
                "(or --group NAME --form team|peers) (see `aoi engagement new --help`)",
                2,
            )
        return {
            "participants": [
                Participant.coachee(args.coachee, Agreement(consent_date=args.consent_date))
            ],
            "sponsor": args.sponsor,
        }
    if args.coachee is not None:
        raise CliError("--coachee is for an individual engagement: a group has --participant NAME")
    if args.form is None:
        raise CliError("a collective engagement needs its form: --form team|peers")
    if args.consent_date is not None:
        raise CliError(
            "each participant consents on their own: aoi participant consent ENGAGEMENT "
            "PARTICIPANT --date YYYY-MM-DD"
        )
    names = args.participant or []
    for i, name in enumerate(names):
        if any(same_person(name, other) for other in names[:i]):
            raise CliError(f"{name} is given twice as a participant")
    return {
        "form": Form(args.form),
        "group": args.group,
        "sponsor": args.sponsor or "",
        "participants": [Participant(name=n) for n in names],
    }


def cmd_engagement_new(args: argparse.Namespace) -> int:
    from aoi_tui.domain.models import Engagement

    who = _who(args)
    store = open_the_store(args, create=True)
    fmt = Format(args.format or args.settings.default_format)
    fields = dict(
        who,
        coach=args.coach or "",
        organisation=args.organisation or "",
        format=fmt,
        planned_sessions=PLANNED_SESSIONS[fmt] if args.sessions is None else args.sessions,
        cadence_days=args.cadence,
        # consent given: framed, as `aoi engagement consent` and the TUI do
        status=Status.ACTIVE if args.consent_date else Status.FRAMING,
    )
    if args.group is None:
        engagement = Engagement(**fields)
    else:
        from aoi_tui.cli.participants import said

        with said():
            engagement = Engagement(**fields)
    membership = None
    if args.programme or args.site or args.across_sites:
        from aoi_tui.cli.programme import enrol_new, membership_for_new

        # checked before the engagement is made: a site not in the list makes nothing
        membership = membership_for_new(
            store, args.programme, args.site, args.across_sites, engagement.form.value
        )
    store.create_engagement(engagement)
    if membership is not None:
        enrol_new(store, engagement.id, *membership)
    out(args, {"id": engagement.id}, engagement.id)
    return 0


def cmd_engagement_list(args: argparse.Namespace) -> int:
    if not store_exists(data_root(args)):
        out(args, [], i18n.t("cli.no_engagement"))
        return 0
    store = open_the_store(args)
    rows = _summary_json(store, args.settings.retention_days)

    def human() -> str:
        # in the language chosen (--lang, AOI_LANG, the settings, the locale); --json keeps codes
        if not rows:
            return i18n.t("cli.no_engagement")
        lines = []
        for r in rows:
            line = i18n.t(
                "cli.engagement_line",
                id=r["id"],
                coachee=r["coachee"],
                # a peer group may have no N+1 of its own (each peer may have theirs)
                sponsor=r["sponsor"].strip() or i18n.t("cli.no_group_sponsor"),
                status=i18n.t(f"status.{r['status']}"),
                held=r["sessions_held"],
                planned=r["planned_sessions"],
                last=r["last_session"] or "—",
            )
            if r["overdue_days"]:
                line += "  " + i18n.t("cli.overdue", days=r["overdue_days"])
            if r["retention_due"]:
                line += "  " + i18n.t("cli.retention_due")
            if r["access_due"]:
                line += "  " + i18n.t("cli.access_due", date=r["access_due"])
            lines.append(line)
        return "\n".join(lines)

    out(args, rows, human)
    return 0


def _change_engagement(args: argparse.Namespace, change: Callable[[Any], str]) -> int:
    store = open_the_store(args)
    ef = store.engagement(engagement_id(store, args.engagement))
    with ef.batch():
        engagement = ef.engagement()
        message = change(engagement)
        ef.update(engagement)
    store.refresh_summary(ef.id)
    out(args, {"id": ef.id, "status": engagement.status.value}, message)
    return 0


def _one_coachee(e: Any, command: str) -> None:
    """`aoi engagement consent|withdraw` are an individual engagement's: in a group
    each participant has their own agreement."""
    if not e.individual:
        date = " --date YYYY-MM-DD" if command == "consent" else ""
        raise CliError(i18n.t("group_cli.consent_per_participant", command=command, date=date))


def cmd_engagement_consent(args: argparse.Namespace) -> int:
    def change(e: Any) -> str:
        _one_coachee(e, "consent")
        e.agreement = e.agreement.model_copy(update={"consent_date": args.date})
        if e.status is Status.FRAMING:
            e.status = Status.ACTIVE
        return i18n.t("cli_said.consent_recorded", date=args.date.isoformat())

    return _change_engagement(args, change)


def cmd_engagement_close(args: argparse.Namespace) -> int:
    def change(e: Any) -> str:
        if e.status is Status.WITHDRAWN:
            raise CliError("this engagement was withdrawn; it cannot be closed")
        e.status = Status.CLOSED
        e.closed_on = clock.today()
        return "Engagement closed. Follow-up sessions can still be added."

    return _change_engagement(args, change)


def cmd_engagement_withdraw(args: argparse.Namespace) -> int:
    def change(e: Any) -> str:
        _one_coachee(e, "withdraw")
        if e.status in (Status.WITHDRAWN, Status.CLOSED):
            raise CliError(f"this engagement is already {e.status.value}")
        e.status = Status.WITHDRAWN
        e.withdrawn_on = clock.today()
        return (
            "Engagement marked withdrawn. Nothing more reaches the sponsor than what "
            "was already validated."
        )

    return _change_engagement(args, change)


def cmd_session_new(args: argparse.Namespace) -> int:
    store = open_the_store(args)
    ef = store.engagement(engagement_id(store, args.engagement))
    engagement = ef.engagement()
    if engagement.status is Status.WITHDRAWN:
        raise CliError(i18n.t("cli_said.coachee_withdrew_no_session"))
    kind = SessionKind(args.kind) if args.kind else _default_kind(engagement)
    who = _session_people(args, engagement, kind)
    try:
        session = ef.new_session(kind, args.settings.phase_minutes, **who)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    said = i18n.t("cli_said.session_created", number=session.number, kind=kind.value)
    out(args, {"number": session.number}, said)
    return 0


def _default_kind(engagement: Any) -> SessionKind:
    from aoi_tui.domain.models import Form

    if engagement.form is Form.TEAM:
        return SessionKind.TEAM_AOI
    if engagement.form is Form.PEERS:
        return SessionKind.PEER
    return SessionKind.AOI if engagement.format is Format.AOI else SessionKind.COACHING


def _session_people(args: argparse.Namespace, engagement: Any, kind: SessionKind) -> dict[str, Any]:
    """A group's session: with one participant (a one-to-one), or with the group
    (who came, and a peer session's case-bringer), each named as the CLI names them."""
    from aoi_tui.cli.participants import named
    from aoi_tui.domain.vocabulary import collective

    given = args.participant or args.present or args.case_bringer
    if engagement.individual:
        if given:
            raise CliError(i18n.t("group_cli.collective_only"))
        return {}
    if collective(kind):
        if args.participant:
            raise CliError(i18n.t("group_cli.with_the_group", kind=kind.value))
        if args.case_bringer and kind is not SessionKind.PEER:
            raise CliError(i18n.t("group_cli.case_bringer_peer_only"))
        present = [named(engagement, q).id for q in args.present or []]
        bringer = named(engagement, args.case_bringer).id if args.case_bringer else None
        if kind is SessionKind.PEER and bringer is None:  # the TUI asks for one too
            raise CliError(i18n.t("participant.case_bringer_needed"))
        return {"attendance": present if args.present else None, "case_bringer": bringer}
    if args.present or args.case_bringer:
        raise CliError(i18n.t("group_cli.one_to_one_no_present"))
    if not args.participant:
        raise CliError(i18n.t("group_cli.one_to_one_needed", kind=kind.value))
    return {"participant": named(engagement, args.participant).id}
