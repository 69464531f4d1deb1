"""Where an engagement stands: sessions held against planned, time since the
last session against the agreed cadence, objectives, the coachee's feeling."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from aoi_tui.domain.models import Engagement, Objective, ObjectiveStatus, Session
from aoi_tui.domain.vocabulary import counts_as_held


@dataclass(frozen=True)
class Progress:
    held: int
    planned: int
    last_session: date | None
    days_since_last: int | None
    cadence_days: int
    overdue_days: int
    objectives: dict[ObjectiveStatus, int]
    feelings: tuple[int, ...]

    @property
    def feeling_trend(self) -> int:
        """+1 rising, -1 falling, 0 steady or unknown (last two feelings)."""
        if len(self.feelings) < 2:
            return 0
        a, b = self.feelings[-2], self.feelings[-1]
        return (b > a) - (b < a)


def progress(
    engagement: Engagement, sessions: list[Session], objectives: list[Objective], today: date
) -> Progress:
    held = [s for s in sessions if counts_as_held(s.kind) and (s.ended_at or s.held_on <= today)]
    last = max((s.held_on for s in sessions if s.held_on <= today), default=None)
    days = (today - last).days if last else None
    active = engagement.status.value in ("framing", "active")
    overdue = max(0, days - engagement.cadence_days) if (days is not None and active) else 0
    return Progress(
        held=len(held),
        planned=engagement.planned_sessions,
        last_session=last,
        days_since_last=days,
        cadence_days=engagement.cadence_days,
        overdue_days=overdue,
        objectives=dict(Counter(o.status for o in objectives)),
        feelings=tuple(s.feeling for s in sorted(sessions, key=lambda s: s.number) if s.feeling),
    )
