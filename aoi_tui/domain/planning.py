"""Planned sessions (issue 15 §1): when the next sessions of an engagement take
place, in the coach's time zone, and what became of them (held, cancelled by
whom, a no-show).

A planned session keeps its wall time (the day and the hour the coach typed) and
the time zone it was typed in: a coach who travels, or a server over SSH that
runs in UTC, does not move a session already planned. One planned from an old
`next_session` (a date, no hour) keeps only its day (`at` is None): the calendar
writes it as an all-day event, nothing is invented.

Its id is its calendar UID, kept from one export to the next."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from aoi_tui.config.i18n import t
from aoi_tui.domain import clock
from aoi_tui.domain.records import Line, Record, unset
from aoi_tui.domain.vocabulary import SessionKind

MAX_MINUTES = 720
"""A session longer than a working day is a typo (90 typed for 1.5 hours is fine)."""
DEFAULT_MINUTES = 90
MAX_PLACE_CHARS = 200
EARLIEST = date(2000, 1, 1)
LATEST_YEARS_AHEAD = 5


class PlanStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class CancelledBy(StrEnum):
    COACHEE = "coachee"
    SPONSOR = "sponsor"  # the N+1
    COACH = "coach"


class PlanningError(ValueError):
    """A date, an hour, a zone or a duration that cannot be planned; said."""


# -- the coach's time zone ---------------------------------------------------------------


def zone_problem(name: str) -> str | None:
    """What is wrong with a time zone's name; None when this machine knows it."""
    if not name or len(name) > 64 or not name.isprintable() or ".." in name:
        return t("plan.zone_unknown", zone=repr(name)[:66])
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return t("plan.zone_unknown", zone=repr(name)[:66])
    return None


def machine_zone() -> str:
    """The machine's IANA time zone: $TZ, else where /etc/localtime points, else UTC
    (a server reached over SSH often runs in UTC: the setting says otherwise)."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and zone_problem(tz) is None:
        return tz
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        name = target.split("zoneinfo/", 1)[1]
        if zone_problem(name) is None:
            return name
    return "UTC"


def coach_zone(setting: str | None) -> str:
    """The zone sessions are planned in: the setting, else the machine's."""
    return setting or machine_zone()


# -- reading what the coach types -------------------------------------------------------


def parse_when(text: str, zone: str) -> tuple[date, time]:
    """ "YYYY-MM-DD HH:MM" in `zone`: a day that does not exist (2026-02-30), an hour
    the clocks skip (spring forward) or a day far off is refused, said."""
    raw = " ".join(text.split())
    try:
        day_text, hour_text = raw.split(" ")
        day = date.fromisoformat(day_text)
        hour = time.fromisoformat(hour_text)
    except ValueError:
        raise PlanningError(t("plan.bad_when", value=repr(text)[:40])) from None
    if len(day_text) != 10 or len(hour_text) != 5:
        raise PlanningError(t("plan.bad_when", value=repr(text)[:40]))
    problem = zone_problem(zone)
    if problem:
        raise PlanningError(problem)
    today = clock.today()
    if day < EARLIEST or day > today.replace(year=today.year + LATEST_YEARS_AHEAD):
        raise PlanningError(t("plan.day_out_of_range", date=day.isoformat()))
    if not exists(day, hour, zone):
        raise PlanningError(t("plan.skipped_hour", date=day.isoformat(), hour=hour_text, zone=zone))
    return day, hour


def exists(day: date, hour: time, zone: str) -> bool:
    """Whether the wall time happens in `zone` (the spring change skips an hour)."""
    local = datetime.combine(day, hour, ZoneInfo(zone))
    back = local.astimezone(UTC).astimezone(ZoneInfo(zone))
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def minutes_problem(minutes: int) -> str | None:
    if not 1 <= minutes <= MAX_MINUTES:
        return t("plan.bad_minutes", minutes=minutes, most=MAX_MINUTES)
    return None


# -- the record --------------------------------------------------------------------------


class PlannedSession(Record):
    """One session planned in an engagement. `at` None: a day without an hour (an
    old `next_session`). `minutes` None: no duration said (the same)."""

    table: ClassVar[str] = "planned"

    on: date
    at: time | None = None
    zone: str = "UTC"
    minutes: int | None = Field(default=None, ge=1, le=MAX_MINUTES)
    kind: SessionKind | None = None
    place: Line = ""
    status: PlanStatus = PlanStatus.PLANNED
    cancelled_by: CancelledBy | None = Field(default=None, exclude_if=unset)
    cancelled_on: date | None = Field(default=None, exclude_if=unset)
    created_at: datetime = Field(default_factory=clock.now)

    @field_validator("zone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        problem = zone_problem(zone)
        if problem:
            raise ValueError(problem)
        return zone

    @field_validator("place")
    @classmethod
    def _short_place(cls, place: str) -> str:
        if len(place) > MAX_PLACE_CHARS:
            raise ValueError(t("plan.place_too_long", most=MAX_PLACE_CHARS))
        return place

    @property
    def active(self) -> bool:
        return self.status is PlanStatus.PLANNED

    def starts(self) -> datetime | None:
        """The start, aware, in its zone (the first of two equal hours in autumn)."""
        if self.at is None:
            return None
        return datetime.combine(self.on, self.at, ZoneInfo(self.zone))

    def ends(self) -> datetime | None:
        """The end, `minutes` of real time later (across a change of the clocks too)."""
        start = self.starts()
        if start is None:
            return None
        end = start.astimezone(UTC) + timedelta(minutes=self.minutes or DEFAULT_MINUTES)
        return end.astimezone(ZoneInfo(self.zone))

    def cancel(self, by: CancelledBy, on: date | None = None) -> None:
        if not self.active:
            raise PlanningError(t("plan.not_planned", id=self.id[:8]))
        self.status = PlanStatus.CANCELLED
        self.cancelled_by = by
        self.cancelled_on = on or clock.today()

    def no_show(self) -> None:
        if not self.active:
            raise PlanningError(t("plan.not_planned", id=self.id[:8]))
        self.status = PlanStatus.NO_SHOW
        self.cancelled_on = clock.today()


def plan(
    text: str,
    zone: str,
    *,
    minutes: int | None = None,
    kind: SessionKind | None = None,
    place: str = "",
) -> PlannedSession:
    """A planned session from what the coach typed; PlanningError, said, otherwise."""
    from pydantic import ValidationError

    from aoi_tui.domain.problems import first_problem

    day, hour = parse_when(text, zone)
    if minutes is not None and (problem := minutes_problem(minutes)):
        raise PlanningError(problem)
    try:
        return PlannedSession(
            on=day, at=hour, zone=zone, minutes=minutes or DEFAULT_MINUTES, kind=kind, place=place
        )
    except ValidationError as exc:
        raise PlanningError(first_problem(exc).reason.removeprefix("Value error, ")) from None


# -- what the coach sees -----------------------------------------------------------------


def next_day(planned: list[PlannedSession], today: date) -> date | None:
    """The day of the nearest session still planned, today or later."""
    return min((p.on for p in planned if p.active and p.on >= today), default=None)


def overdue(planned: PlannedSession, held_days: list[date], today: date) -> bool:
    """Planned for a day gone by, and no session held since: held, cancelled or a
    no-show, the coach has to say which."""
    return planned.active and planned.on < today and not any(d >= planned.on for d in held_days)


def week_of(today: date) -> tuple[date, date]:
    """Monday and Sunday of `today`'s week."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def proposed_day(last_held: date | None, cadence_days: int, today: date) -> date:
    """The next session at the agreed cadence: `cadence_days` after the last one
    held, never before tomorrow."""
    base = (last_held or today) + timedelta(days=cadence_days)
    return max(base, today + timedelta(days=1))


@dataclass(frozen=True)
class Attendance:
    """What became of the sessions planned: the cadence and the hours log count
    cancellations and no-shows as such, never as sessions held."""

    cancelled_by_coachee: int = 0
    cancelled_by_sponsor: int = 0
    cancelled_by_coach: int = 0
    no_shows: int = 0


def attendance(planned: list[PlannedSession]) -> Attendance:
    def cancelled(by: CancelledBy) -> int:
        return sum(1 for p in planned if p.status is PlanStatus.CANCELLED and p.cancelled_by is by)

    return Attendance(
        cancelled_by_coachee=cancelled(CancelledBy.COACHEE),
        cancelled_by_sponsor=cancelled(CancelledBy.SPONSOR),
        cancelled_by_coach=cancelled(CancelledBy.COACH),
        no_shows=sum(1 for p in planned if p.status is PlanStatus.NO_SHOW),
    )


__all__ = [
    "DEFAULT_MINUTES",
    "Attendance",
    "CancelledBy",
    "PlanStatus",
    "PlannedSession",
    "PlanningError",
    "attendance",
    "coach_zone",
    "machine_zone",
    "next_day",
    "overdue",
    "parse_when",
    "plan",
    "proposed_day",
    "week_of",
    "zone_problem",
]
