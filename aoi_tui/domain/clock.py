"""Time, in one place, so tests and snapshots can fix it (`AOI_NOW`)."""

from __future__ import annotations

import os
from datetime import date, datetime

NOW_ENV = "AOI_NOW"


def now() -> datetime:
    """The current local time, timezone-aware; `AOI_NOW` (ISO 8601) fixes it."""
    fixed = os.environ.get(NOW_ENV)
    if fixed:
        value = datetime.fromisoformat(fixed)
        return value if value.tzinfo else value.astimezone()
    return datetime.now().astimezone()


def today() -> date:
    return now().date()
