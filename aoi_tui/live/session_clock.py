"""Time in a live session: which phase runs, for how long, against its target.

Pure functions over a `Session` and a given time, so the UI redraws from them
once a second and tests fix the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from aoi_tui.domain.models import PhaseRun, Session


@dataclass(frozen=True)
class PhaseTime:
    phase: str
    elapsed: timedelta
    target: timedelta
    overrun_after: timedelta
    running: bool

    @property
    def over_target(self) -> bool:
        return self.elapsed > self.target

    @property
    def overrun(self) -> bool:
        return self.elapsed > self.overrun_after


def current_index(session: Session) -> int:
    """The running phase, else the last one started, else the first."""
    for i, run in enumerate(session.phases):
        if run.started_at and not run.ended_at:
            return i
    started = [i for i, run in enumerate(session.phases) if run.started_at]
    return started[-1] if started else 0


def phase_elapsed(run: PhaseRun, now: datetime) -> timedelta:
    if run.started_at is None:
        return timedelta(0)
    end = run.ended_at or now
    return max(timedelta(0), end - run.started_at)


def phase_times(session: Session, now: datetime) -> list[PhaseTime]:
    return [
        PhaseTime(
            phase=run.phase,
            elapsed=phase_elapsed(run, now),
            target=timedelta(minutes=run.target_minutes),
            overrun_after=timedelta(minutes=run.overrun_minutes),
            running=run.started_at is not None and run.ended_at is None,
        )
        for run in session.phases
    ]


def session_elapsed(session: Session, now: datetime) -> timedelta:
    if session.started_at is None:
        return timedelta(0)
    return max(timedelta(0), (session.ended_at or now) - session.started_at)


def start(session: Session, now: datetime) -> None:
    """Start the session at its first phase (idempotent)."""
    if session.started_at is None:
        session.started_at = now
    if session.phases and not any(r.started_at for r in session.phases):
        session.phases[0].started_at = now


def go_to(session: Session, index: int, now: datetime) -> None:
    """Close the running phase and run phase `index` (re-opening it if it ran before:
    its time keeps counting from where it stopped)."""
    if not 0 <= index < len(session.phases):
        return
    start(session, now)
    current = current_index(session)
    if current == index and session.phases[index].ended_at is None:
        return
    run = session.phases[current]
    if run.started_at and not run.ended_at:
        run.ended_at = now
    target = session.phases[index]
    if target.started_at and target.ended_at:
        # Resume: shift the start so the time already spent is kept.
        target.started_at = now - (target.ended_at - target.started_at)
        target.ended_at = None
    else:
        target.started_at = now
        target.ended_at = None


def finish(session: Session, now: datetime) -> None:
    for run in session.phases:
        if run.started_at and not run.ended_at:
            run.ended_at = now
    session.ended_at = now


def format_duration(value: timedelta) -> str:
    total = int(value.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
