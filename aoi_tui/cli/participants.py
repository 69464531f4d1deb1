"""`aoi participant add|list|consent|report|withdraw|erase`: the people of a
collective engagement, each with their own agreement.

A participant is named by their id (`aoi participant list ENGAGEMENT --json`),
a unique prefix of it, or a unique prefix of their name (accents and case
ignored); an ambiguous prefix is refused with the candidates."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from aoi_tui.cli.common import CliError, engagement_id, open_the_store, out
from aoi_tui.config import i18n

if TYPE_CHECKING:
    from aoi_tui.domain.models import Engagement, Participant
    from aoi_tui.store.engagement_file import EngagementFile


@contextlib.contextmanager
def refused() -> Iterator[None]:
    """A change the participant's agreement refuses (the core's rule), said."""
    from aoi_tui.domain.participants import AgreementRefused

    try:
        yield
    except AgreementRefused as exc:
        raise CliError(str(exc)) from None


@contextlib.contextmanager
def said() -> Iterator[None]:
    """A group's record refused by its model is said as the model says it, without
    pydantic's "Value error, " in front."""
    from aoi_tui.domain.problems import Invalid, first_problem

    try:
        yield
    except ValueError as exc:
        if not isinstance(exc, Invalid):
            raise
        raise CliError(first_problem(exc).reason.removeprefix("Value error, ")) from None


def named(engagement: Engagement, query: str) -> Participant:
    """The participant `query` names (id, unique id prefix, unique name prefix)."""
    from aoi_tui.domain.participants import NoSuchParticipant, find_participant

    try:
        return find_participant(engagement.participants, query)
    except NoSuchParticipant as exc:
        raise CliError(str(exc)) from None


def _group_file(args: argparse.Namespace) -> EngagementFile:
    store = open_the_store(args)
    ef = store.engagement(engagement_id(store, args.engagement))
    return ef


def _row(p: Participant, engagement: Engagement) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "function": p.function,
        "sponsor": p.sponsor or (engagement.sponsor if not engagement.individual else ""),
        "consent_date": p.agreement.consent_date.isoformat() if p.agreement.consent_date else None,
        "withdrawn_on": p.withdrawn_on.isoformat() if p.withdrawn_on else None,
        "report_own_items": p.report_own_items,
        "report_attendance": p.agreement.report_attendance,
        "report_objective_status": p.agreement.report_objective_status,
        "report_competencies": p.agreement.report_competencies,
        "programme_statistics": p.programme_statistics,
    }


def cmd_participant_add(args: argparse.Namespace) -> int:
    from aoi_tui.domain.models import Form, Participant

    ef = _group_file(args)
    engagement = ef.engagement()
    if args.sponsor and engagement.form is not Form.PEERS:
        from aoi_tui.config.i18n import t

        raise CliError(t("participant.own_sponsor_only_peers"))
    reports_to = named(engagement, args.reports_to).id if args.reports_to else None
    with said():
        participant = Participant(
            name=args.name,
            function=args.function or "",
            sponsor=args.sponsor or "",
            reports_to=reports_to,
        )
        engagement = ef.add_participant(participant)
    from aoi_tui.domain.participants import reporting_line_warning

    warning = reporting_line_warning(engagement.form, engagement.participants, participant)
    if warning:  # a peer group is of peers: a reporting line inside it changes what is said
        print(f"aoi: {warning}", file=sys.stderr)
    out(args, {"id": participant.id}, participant.id)
    return 0


def cmd_participant_list(args: argparse.Namespace) -> int:
    ef = _group_file(args)
    engagement = ef.engagement()
    rows = [_row(p, engagement) for p in engagement.participants]

    def human() -> str:
        lines = []
        for r in rows:
            state = (
                f"withdrew {r['withdrawn_on']}"
                if r["withdrawn_on"]
                else (f"consent {r['consent_date']}" if r["consent_date"] else "no consent yet")
            )
            reported = [
                what
                for what, flag in (
                    ("own items", r["report_own_items"]),
                    ("attendance", r["report_attendance"]),
                    ("objectives' progress", r["report_objective_status"]),
                    ("competency levels", r["report_competencies"]),
                    ("programme statistics", r["programme_statistics"]),
                )
                if flag
            ]
            lines.append(
                f"{r['id']}  {r['name']}"
                + (f" ({r['function']})" if r["function"] else "")
                + (f"  N+1: {r['sponsor']}" if r["sponsor"] else "")
                + f"  {state}  reported: {', '.join(reported) or 'nothing'}"
            )
        return "\n".join(lines)

    out(args, rows, human)
    return 0


def _change_participant(
    args: argparse.Namespace,
    change: Callable[[Engagement, Participant], str],
    individual: bool = False,
) -> int:
    """`individual`: the change applies to an individual engagement's coachee too
    (programme statistics, issue 14: its one participant is the coachee)."""
    ef = _group_file(args)
    with ef.batch():
        engagement = ef.engagement()
        if engagement.individual and not individual:
            raise CliError(
                "this is an individual engagement: its coachee's agreement is changed with "
                "aoi engagement consent|withdraw"
            )
        participant = named(engagement, args.participant)
        with refused():
            message = change(engagement, participant)
        ef.update(engagement)
    ef.store.refresh_summary(ef.id)
    out(args, _row(participant, engagement), message)
    return 0


def cmd_participant_consent(args: argparse.Namespace) -> int:
    from aoi_tui.domain.models import Status
    from aoi_tui.domain.participants import give_consent

    def change(e: Engagement, p: Participant) -> str:
        give_consent(p, args.date)
        if e.status is Status.FRAMING:
            e.status = Status.ACTIVE
        return i18n.t("cli_said.participant_consent", name=p.name, date=args.date.isoformat())

    return _change_participant(args, change)


def cmd_participant_report(args: argparse.Namespace) -> int:
    from aoi_tui.config.i18n import t
    from aoi_tui.domain.participants import AgreementRefused, set_reporting

    def change(e: Engagement, p: Participant) -> str:
        # nothing of theirs is reported: any flag is moot, but for a withdrawn
        # coachee leaving the programme's count of withdrawals
        leaving = e.individual and args.programme_statistics is False
        if p.withdrawn_on is not None and not leaving:
            raise AgreementRefused(
                t("participant.withdrew_nothing_more", name=p.name, date=p.withdrawn_on.isoformat())
            )
        set_reporting(
            p,
            own_items=args.own_items,
            attendance=args.attendance,
            objective_status=args.objectives,
            competencies=args.competencies,
            programme_statistics=args.programme_statistics,
        )
        return (
            f"{p.name}: own items {'reported' if p.report_own_items else 'not reported'}, "
            f"attendance {'reported' if p.agreement.report_attendance else 'not reported'}, "
            f"objectives' progress "
            f"{'reported' if p.agreement.report_objective_status else 'not reported'}, "
            f"competency levels "
            f"{'reported' if p.agreement.report_competencies else 'not reported'}, "
            f"programme statistics {'yes' if p.programme_statistics else 'no'}."
        )

    only_programme = (
        args.own_items is None
        and args.attendance is None
        and args.objectives is None
        and args.competencies is None
    )
    return _change_participant(args, change, individual=only_programme)


def cmd_participant_withdraw(args: argparse.Namespace) -> int:
    from aoi_tui.domain.participants import withdraw

    def change(e: Engagement, p: Participant) -> str:
        day = withdraw(p, args.date)
        return (
            f"{p.name} withdrew on {day.isoformat()}: from then on they appear in no output "
            "for an N+1, and nothing of theirs is reported."
        )

    return _change_participant(args, change)


def cmd_participant_erase(args: argparse.Namespace) -> int:
    from aoi_tui.cli.common import interactive, prompt

    ef = _group_file(args)
    engagement = ef.engagement()
    if engagement.individual:
        raise CliError("this is an individual engagement: erase it whole with aoi erase ENGAGEMENT")
    participant = named(engagement, args.participant)
    if not args.yes:
        if not interactive():
            raise CliError("erasing a participant cannot be undone: add --yes to confirm")
        answer = prompt(f"Erase everything about {participant.name}, backups included? [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "o", "oui"):
            raise CliError("nothing was erased")
    from aoi_tui.store.participant_erasure import erase_participant

    removed = erase_participant(ef, participant.id)
    out(
        args,
        {"erased": participant.id, "copies_rewritten": removed},
        f"Erased {participant.id} from the engagement and {removed} copies on disk.",
    )
    return 0


def cmd_engagement_charter(args: argparse.Namespace) -> int:
    """The group's charter: confidentiality among peers, attendance, who receives
    what, what happens when someone leaves, and (a peer group's) whether the
    group's items may go to the N+1s. A changed charter is agreed to again."""
    from aoi_tui.domain.models import Charter

    ef = _group_file(args)
    with ef.batch():
        engagement = ef.engagement()
        if engagement.individual:
            raise CliError("a charter is a group's: this is an individual engagement")
        old = engagement.charter or Charter()
        given = {
            "confidentiality": args.confidentiality,
            "attendance": args.attendance,
            "recipients": args.recipients,
            "leaving": args.leaving,
            "group_items_to_sponsors": args.group_items_to_sponsors,
        }
        charter = old.model_copy(update={k: v for k, v in given.items() if v is not None})
        engagement.charter = Charter.model_validate(charter.model_dump())
        ef.update(engagement)
    agreed = [p.name for p in engagement.participants if p.agreed_to(engagement.charter)]
    out(
        args,
        {"charter": engagement.charter.model_dump(mode="json"), "agreed_by": agreed},
        "Charter recorded"
        + (f"; agreed by {', '.join(agreed)}." if agreed else ": each participant agrees to it")
        + ("" if agreed else " (aoi participant charter ENGAGEMENT PARTICIPANT)."),
    )
    return 0


def cmd_participant_charter(args: argparse.Namespace) -> int:
    """A participant agrees to the group's charter as it is now."""
    from aoi_tui.domain.participants import agree_to_charter

    def change(e: Engagement, p: Participant) -> str:
        agree_to_charter(p, e.charter)
        return f"{p.name} agreed to the charter."

    return _change_participant(args, change)
