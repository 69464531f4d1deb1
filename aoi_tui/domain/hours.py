"""The coaching hours log (issue 15 §2), as a credential (ICF) asks for it: per
client, the start and end of the relationship, individual or group (a group
once, with its size), paid or pro bono, and the hours; with totals.

Hours come from the phases' recorded starts and ends. A phase never ended, or
run across midnight (a session resumed another day), counts its planned
duration instead, and its row says so (`estimated`). Which phases count is the
coach's setting (`hours_left_out`): by default every phase but the field
phases, where the coach observes without coaching (shadowing). Every kind of
session counts, the three-way kickoff too: the phases decide.

A client who did not agree to be named in the log (`Agreement.listed_in_hours_log`)
is an anonymous row; so is an engagement erased since (its hours are kept
without a name or a contact, `store/after_erasure.py`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from aoi_tui.domain.models import Engagement, PhaseRun, Session

DEFAULT_LEFT_OUT: tuple[str, ...] = ("field", "team_field")
"""Phases that do not count by default: the coach observes in the field without
intervening. The coach decides (`hours_left_out` in the settings; [] counts all)."""


@dataclass(frozen=True)
class SessionHours:
    """One session's counted minutes, with nothing that names anyone: what an
    erased engagement leaves in the log."""

    on: date
    minutes: int
    estimated: bool
    group_size: int  # 1: individual


@dataclass
class ClientRow:
    """One row of the log: a client (individual) or a group (once, with its size)."""

    name: str  # "" for an anonymous row
    email: str
    start: date
    end: date
    group_size: int
    pro_bono: bool
    minutes: int
    estimated: bool
    sessions: int
    cancelled: int = 0
    no_shows: int = 0
    erased: bool = False

    @property
    def group(self) -> bool:
        return self.group_size > 1

    @property
    def hours(self) -> Decimal:
        return to_hours(self.minutes)


@dataclass
class Totals:
    paid: int = 0
    pro_bono: int = 0
    individual: int = 0
    group: int = 0
    overall: int = 0
    cancelled: int = 0
    no_shows: int = 0
    supervision_hours: Decimal = Decimal(0)
    supervisions: int = 0


@dataclass
class HoursLog:
    rows: list[ClientRow] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    start: date | None = None
    end: date | None = None


def to_hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _recorded(start: datetime | None, end: datetime | None) -> int | None:
    """Minutes between a recorded start and end on one day; None when there is no
    end, no start, or the two are on different days (resumed another day)."""
    if start is None or end is None or end < start:
        return None
    if start.astimezone().date() != end.astimezone().date():
        return None
    return round((end - start).total_seconds() / 60)


def session_minutes(session: Session, left_out: Iterable[str]) -> tuple[int, bool]:
    """The session's counted minutes, and whether any of them is a planned duration
    in place of a recorded one."""
    skipped = set(left_out)
    resumed = (
        session.started_at is not None
        and session.ended_at is not None
        and session.started_at.astimezone().date() != session.ended_at.astimezone().date()
    )
    total, estimated = 0, False
    runs: Sequence[PhaseRun] = session.phases
    for run in runs:
        if run.phase in skipped:
            continue
        recorded = None if resumed else _recorded(run.started_at, run.ended_at)
        if recorded is None:
            total += run.target_minutes
            estimated = True
        else:
            total += recorded
    if not runs:
        recorded = _recorded(session.started_at, session.ended_at)
        return (recorded, False) if recorded is not None else (0, True)
    return total, estimated


def engagement_rows(
    engagement: Engagement,
    sessions: list[Session],
    left_out: Iterable[str],
    start: date | None = None,
    end: date | None = None,
    cancelled: int = 0,
    no_shows: int = 0,
) -> list[ClientRow]:
    """The engagement's rows: one per client of an individual engagement, and in a
    group one for the group's sessions (with its size) and one per participant
    seen alone."""
    left_out = tuple(left_out)
    kept = [
        s
        for s in sessions
        if (start is None or s.held_on >= start) and (end is None or s.held_on <= end)
    ]
    rows: list[ClientRow] = []

    def row(name: str, email: str, held: list[Session], size: int, counts: bool) -> None:
        if not held:
            return
        minutes, estimated = 0, False
        for s in held:
            m, e = session_minutes(s, left_out)
            minutes += m
            estimated = estimated or e
        rows.append(
            ClientRow(
                name=name,
                email=email,
                start=min(s.held_on for s in held),
                end=max(s.held_on for s in held),
                group_size=size,
                pro_bono=engagement.pro_bono,
                minutes=minutes,
                estimated=estimated,
                sessions=len(held),
                cancelled=cancelled if counts else 0,
                no_shows=no_shows if counts else 0,
            )
        )

    if engagement.individual:
        p = engagement.one_participant
        named = p.agreement.listed_in_hours_log
        row(p.name if named else "", p.email if named else "", kept, 1, True)
        return rows
    together = [s for s in kept if s.participant is None]
    listed = [p for p in engagement.participants if p.agreement.listed_in_hours_log]
    names = "; ".join(p.name for p in listed)
    unnamed = len(engagement.participants) - len(listed)
    if names and unnamed:
        names += f"; +{unnamed}"
    row(
        names,
        "; ".join(p.email for p in listed if p.email),
        together,
        max(2, len(engagement.participants)),
        True,
    )
    for p in engagement.participants:
        alone = [s for s in kept if s.participant == p.id]
        named = p.agreement.listed_in_hours_log
        row(p.name if named else "", p.email if named else "", alone, 1, False)
    return rows


def erased_rows(
    sessions: list[SessionHours], pro_bono: bool, start: date | None, end: date | None
) -> list[ClientRow]:
    """An erased engagement's rows: no name, no contact."""
    kept = [
        s for s in sessions if (start is None or s.on >= start) and (end is None or s.on <= end)
    ]
    rows = []
    for size in sorted({s.group_size for s in kept}):
        mine = [s for s in kept if s.group_size == size]
        rows.append(
            ClientRow(
                name="",
                email="",
                start=min(s.on for s in mine),
                end=max(s.on for s in mine),
                group_size=size,
                pro_bono=pro_bono,
                minutes=sum(s.minutes for s in mine),
                estimated=any(s.estimated for s in mine),
                sessions=len(mine),
                erased=True,
            )
        )
    return rows


def session_hours(
    engagement: Engagement, sessions: list[Session], left_out: Iterable[str]
) -> list[SessionHours]:
    """What an engagement leaves in the log when it is erased."""
    left_out = tuple(left_out)
    size = 1 if engagement.individual else max(2, len(engagement.participants))
    kept = []
    for s in sessions:
        minutes, estimated = session_minutes(s, left_out)
        kept.append(
            SessionHours(
                on=s.held_on,
                minutes=minutes,
                estimated=estimated,
                group_size=1 if s.participant is not None else size,
            )
        )
    return kept


def total(rows: list[ClientRow]) -> Totals:
    sums = Totals()
    for r in rows:
        sums.overall += r.minutes
        if r.pro_bono:
            sums.pro_bono += r.minutes
        else:
            sums.paid += r.minutes
        if r.group:
            sums.group += r.minutes
        else:
            sums.individual += r.minutes
        sums.cancelled += r.cancelled
        sums.no_shows += r.no_shows
    return sums


__all__ = [
    "DEFAULT_LEFT_OUT",
    "ClientRow",
    "HoursLog",
    "SessionHours",
    "Totals",
    "engagement_rows",
    "erased_rows",
    "session_hours",
    "session_minutes",
    "to_hours",
    "total",
]
