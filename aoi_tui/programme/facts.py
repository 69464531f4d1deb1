"""From a coach's engagements to a feed, in two steps.

1. `EngagementFacts`: the small input the feed is built from, one per engagement
   of the programme: codes, dates, numbers and enumerations only, with the local
   ids of the engagement and of each person (they never leave the store: each is
   mapped to a random per-programme key). Only the people who agreed to programme
   statistics are listed, and their objectives and FSAC levels only where their
   agreement allows it. There is no field for text: nothing typed can reach a feed.
2. `build_feed`: the facts, the programme and the keys make the feed.

`sending.facts_from_engagement` reads an engagement of the store (individual or
collective: its participants and what each agreed to) into facts."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from aoi_tui.domain.vocabulary import (
    Area,
    Format,
    Level,
    ObjectiveStatus,
    SessionKind,
    Status,
)
from aoi_tui.programme.definition import Programme
from aoi_tui.programme.feed import (
    Feed,
    FeedCompetency,
    FeedEngagement,
    FeedEvaluation,
    FeedObjective,
    FeedPerson,
    FeedSession,
)

Form = Literal["individual", "team", "peers"]
KICKOFFS = tuple(k for k in SessionKind if k.value.endswith("kickoff"))
"""The three-way kickoff of one person, the group kickoff of a team or peers."""
CLOSINGS = tuple(k for k in SessionKind if k.value.endswith("closing"))


@dataclass(frozen=True)
class SessionFacts:
    """A session held (a planned one that has not taken place is not listed)."""

    held_on: date
    kind: SessionKind
    handover: bool | None = None
    """AOI sessions: whether the handover to the N+1 took place; None otherwise."""


@dataclass(frozen=True)
class PersonFacts:
    local_id: str
    """The person's id in this store: "<engagement id>/<participant id>"."""
    objectives: tuple[tuple[Area | None, ObjectiveStatus], ...] | None = None
    """None: the person's agreement does not allow objectives in programme statistics."""
    competencies: tuple[tuple[str, Level | None, Level | None], ...] | None = None
    """(programme competency id, level at start, latest level); None: not allowed."""
    self_assessed: tuple[tuple[str, Level | None, Level | None], ...] = ()
    """(programme competency id, own latest hot level, own latest cold level), for
    the competencies above (allowed as they are)."""
    evaluation_hot: int | None = None
    evaluation_cold: int | None = None


@dataclass(frozen=True)
class EngagementFacts:
    local_id: str
    site: str | None
    """The site's code in the programme file; None for a peer group across sites."""
    format: Format
    form: Form
    status: Status
    planned_sessions: int
    cadence_days: int
    sessions: tuple[SessionFacts, ...]
    people: tuple[PersonFacts, ...]
    """Those who agreed to programme statistics; an engagement with none is left out."""


Keys = Callable[[list[str]], dict[str, str]]
"""Local ids -> random per-programme keys (`ProgrammeBook.keys`, bound to a programme)."""


def cadence_kept(days: list[date], cadence_days: int) -> bool:
    """No gap between two consecutive sessions held longer than the cadence."""
    ordered = sorted(days)
    return all((b - a).days <= cadence_days for a, b in itertools.pairwise(ordered))


def build_feed(
    programme: Programme,
    coach_key: str,
    keys: Keys,
    facts: Iterable[EngagementFacts],
    written_at: datetime | None = None,
) -> Feed:
    listed = [f for f in facts if f.people]
    local = [f.local_id for f in listed] + [p.local_id for f in listed for p in f.people]
    mapped = keys(local)
    period = programme.periods.index
    engagements = []
    for f in listed:
        held = sorted(f.sessions, key=lambda s: s.held_on)
        kickoffs = [s.held_on for s in held if s.kind in KICKOFFS]
        first = kickoffs[0] if kickoffs else (held[0].held_on if held else None)
        engagements.append(
            FeedEngagement(
                key=mapped[f.local_id],
                site=f.site,
                format=f.format,
                form=f.form,
                people=len(f.people),
                start_period=period(first) if first else None,
                status=f.status,
                sessions_planned=f.planned_sessions,
                sessions=tuple(
                    FeedSession(kind=s.kind, period=period(s.held_on), handover=s.handover)
                    for s in held
                ),
                kickoff_held=bool(kickoffs),
                closing_held=any(s.kind in CLOSINGS for s in held),
                cadence_days=f.cadence_days,
                cadence_kept=cadence_kept([s.held_on for s in held], f.cadence_days),
                participants=tuple(
                    sorted((_person(p, mapped[p.local_id]) for p in f.people), key=lambda p: p.key)
                ),
            )
        )
    engagements.sort(key=lambda e: e.key)  # the store's order says nothing either
    when = (written_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return Feed(
        programme=programme.id, coach=coach_key, written_at=when, engagements=tuple(engagements)
    )


def _person(p: PersonFacts, key: str) -> FeedPerson:
    own = {c: (hot, cold) for c, hot, cold in p.self_assessed}
    evaluation = None
    if p.evaluation_hot is not None or p.evaluation_cold is not None:
        evaluation = FeedEvaluation(hot=p.evaluation_hot, cold=p.evaluation_cold)
    return FeedPerson(
        key=key,
        objectives=None
        if p.objectives is None
        else tuple(
            sorted(
                (FeedObjective(area=a, status=s) for a, s in p.objectives),
                key=lambda o: (o.area or "", o.status),
            )
        ),
        competencies=None
        if p.competencies is None
        else tuple(
            FeedCompetency(
                competency=c,
                start=start,
                latest=latest,
                self_hot=own.get(c, (None, None))[0],
                self_cold=own.get(c, (None, None))[1],
            )
            for c, start, latest in sorted(p.competencies)
        ),
        evaluation=evaluation,
    )
