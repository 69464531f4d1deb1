"""A person's requests for their data (GDPR article 15), as the coach keeps
their register: when a request was received, how the person's identity was
checked, the deadline (one month from receipt, extendable by two more months
with a reason: article 12(3)), when it was answered, what was withheld and
why. Stored in the engagement's file, in a table of their own; the
engagement's row in the index carries the nearest deadline still open, so the
engagements list shows it."""

from __future__ import annotations

import calendar
from datetime import date
from typing import ClassVar

from pydantic import Field

from aoi_tui.domain import clock
from aoi_tui.domain.models import Record, Text

DUE_SOON_DAYS = 7
"""An open request whose deadline is this close (or past) is shown in the list."""


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it has no such
    day (31 January + 1 month: 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class AccessRequest(Record):
    table: ClassVar[str] = "access_requests"

    participant: str  # the person's id in the engagement (never their name: the row is a log)
    received: date
    identity: Text = ""  # how the person's identity was checked
    extended: bool = False
    extension_reason: Text = ""
    answered_on: date | None = None
    withheld: Text = ""  # what was withheld, and why (others' data: article 15(4))
    note: Text = ""
    recorded_on: date = Field(default_factory=clock.today)

    @property
    def deadline(self) -> date:
        return add_months(self.received, 3 if self.extended else 1)

    @property
    def open(self) -> bool:
        return self.answered_on is None


def nearest_open_deadline(requests: list[AccessRequest]) -> date | None:
    return min((r.deadline for r in requests if r.open), default=None)


def due_soon(deadline: date | None, today: date) -> bool:
    return deadline is not None and (deadline - today).days <= DUE_SOON_DAYS


__all__ = [
    "DUE_SOON_DAYS",
    "AccessRequest",
    "add_months",
    "due_soon",
    "nearest_open_deadline",
]
