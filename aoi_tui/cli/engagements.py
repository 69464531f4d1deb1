"""`aoi demo`, `aoi engagement new|list|consent|close|withdraw`, `aoi session new`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from aoi_tui.cli.common import (
    CliError,
    data_root,
    engagement_id,
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
    from aoi_tui.demo import create_demo

    store = open_the_store(args, create=True)
    eid, created = create_demo(store)
    out(
        args,
        {"id": eid, "created": created},
        f"Demo engagement {'created' if created else 'already there'}: {eid}",
    )
    return 0


def _summary_json(store: Store, retention_days: int | None = None) -> list[dict[str, Any]]:
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
            "demo": s.demo,
        }
        for s in store.list_engagements()
    ]


def cmd_engagement_new(args: argparse.Namespace) -> int:
    from aoi_tui.domain.models import Agreement, Engagement

    store = open_the_store(args, create=True)
    fmt = Format(args.format or args.settings.default_format)
    engagement = Engagement(
        coachee=args.coachee,
        sponsor=args.sponsor,
        coach=args.coach or "",
        organisation=args.organisation or "",
        format=fmt,
        planned_sessions=PLANNED_SESSIONS[fmt] if args.sessions is None else args.sessions,
        cadence_days=args.cadence,
        agreement=Agreement(consent_date=args.consent_date),
        # consent given: framed, as `aoi engagement consent` and the TUI do
        status=Status.ACTIVE if args.consent_date else Status.FRAMING,
    )
    store.create_engagement(engagement)
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
                sponsor=r["sponsor"],
                status=i18n.t(f"status.{r['status']}"),
                held=r["sessions_held"],
                planned=r["planned_sessions"],
                last=r["last_session"] or "—",
            )
            if r["overdue_days"]:
                line += "  " + i18n.t("cli.overdue", days=r["overdue_days"])
            if r["retention_due"]:
                line += "  " + i18n.t("cli.retention_due")
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


def cmd_engagement_consent(args: argparse.Namespace) -> int:
    def change(e: Any) -> str:
        e.agreement = e.agreement.model_copy(update={"consent_date": args.date})
        if e.status is Status.FRAMING:
            e.status = Status.ACTIVE
        return f"Consent recorded on {args.date.isoformat()}."

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
        raise CliError("the coachee withdrew from this engagement: no new session")
    kind = SessionKind(args.kind) if args.kind else _default_kind(engagement.format)
    session = ef.new_session(kind, args.settings.phase_minutes)
    out(args, {"number": session.number}, f"Session {session.number} ({kind.value}) created.")
    return 0


def _default_kind(fmt: Format) -> SessionKind:
    return SessionKind.AOI if fmt is Format.AOI else SessionKind.COACHING
