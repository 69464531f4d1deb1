"""`aoi supervision add|list`: the coach's own supervision log."""

from __future__ import annotations

import argparse
from decimal import Decimal

from aoi_tui.cli.common import CliError, open_the_store, out, parse_date, read_note
from aoi_tui.config.i18n import plural, t


def cmd_supervision_add(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from aoi_tui.domain.problems import first_problem
    from aoi_tui.domain.supervision import SupervisionEntry, SupervisionForm, parse_hours
    from aoi_tui.store.supervision_log import SupervisionLog, UnknownCase

    try:
        day = parse_date(args.date)
        hours = parse_hours(args.hours)
    except (ValueError, argparse.ArgumentTypeError) as exc:
        raise CliError(str(exc)) from None
    learned = read_note(args.learned) if args.learned else ""
    store = open_the_store(args)
    try:
        entry = SupervisionEntry(
            on=day,
            supervisor=args.supervisor,
            hours=hours,
            form=SupervisionForm.GROUP if args.group else SupervisionForm.INDIVIDUAL,
            case=args.case.strip() if args.case else None,
            learned=learned,
        )
    except ValidationError as exc:
        raise CliError(first_problem(exc).reason.removeprefix("Value error, ")) from None
    try:
        SupervisionLog(store).add(entry)
    except UnknownCase as exc:
        raise CliError(str(exc)) from None
    out(args, entry.model_dump(mode="json"), entry.id)
    return 0


def cmd_supervision_list(args: argparse.Namespace) -> int:
    from aoi_tui.domain.supervision import totals
    from aoi_tui.store.supervision_log import SupervisionLog

    if args.start and args.end and args.start > args.end:
        raise CliError(t("supervision.bad_period"))
    store = open_the_store(args)
    entries = [
        e
        for e in SupervisionLog(store).entries()
        if (args.start is None or e.on >= args.start) and (args.end is None or e.on <= args.end)
    ]
    sums = totals(entries)

    def human() -> str:
        lines = [
            t(
                "supervision.line",
                date=e.on.isoformat(),
                hours=_hours(e.hours),
                form=t(f"supervision.form.{e.form.value}"),
                supervisor=e.supervisor,
                case=e.case or (t("supervision.case_erased") if e.case_erased else "—"),
            )
            + (f"\n    {' '.join(e.learned.split())}" if e.learned.strip() else "")
            for e in entries
        ]
        lines.append(
            t(
                "supervision.totals",
                count=plural("supervision.count", sums.sessions),
                hours=_hours(sums.hours),
                individual=_hours(sums.individual_hours),
                group=_hours(sums.group_hours),
            )
        )
        return "\n".join(lines) if entries else t("supervision.none")

    data = {
        "entries": [e.model_dump(mode="json") for e in entries],
        "totals": {
            "sessions": sums.sessions,
            "hours": str(sums.hours),
            "individual_hours": str(sums.individual_hours),
            "group_hours": str(sums.group_hours),
        },
    }
    out(args, data, human)
    return 0


def _hours(value: Decimal) -> str:
    """1.5, 2, 0.25: no trailing zeros, never an exponent."""
    text = f"{value.normalize():f}"
    return text


__all__ = ["cmd_supervision_add", "cmd_supervision_list"]
