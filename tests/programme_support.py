"""Generated programmes for the programme tests: coaches, sites (some tiny),
individual engagements, teams and peer groups (some across sites), statuses,
sessions, objectives and FSAC levels; and the state's evolution between two
reports (new engagements, sessions, closings, withdrawals, erasures)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from aoi_tui.domain.vocabulary import Area, Format, Level, ObjectiveStatus, SessionKind, Status
from aoi_tui.programme.definition import Periods, Programme, ReferentialRef, Site
from aoi_tui.programme.facts import EngagementFacts, PersonFacts, SessionFacts, build_feed
from aoi_tui.programme.feed import Feed

_IDS = random.Random(0)
"""Ids and keys drawn from a seeded generator (reseeded by `world`): a failing
example replays with the same keys, hence the same order of engagements."""


def new_id(n: int = 12) -> str:
    return "".join(_IDS.choice("0123456789abcdefghjkmnpqrstvwxyz") for _ in range(n))


LEAD_PUBLIC = "age1" + "q" * 58  # a well-formed key for programmes never sealed


def programme(sites: int, k: int, *, lead_key: str = LEAD_PUBLIC) -> Programme:
    from aoi_tui.domain.referentials import referential

    ref = referential("en", "first-line-manager")
    return Programme(
        id=new_id(16),
        name="Programme test",
        sites=tuple(Site(code=f"S{i:02d}", name=f"Site {i}") for i in range(1, sites + 1)),
        periods=Periods(start=date(2025, 1, 1), months=3),
        min_group=k,
        referential=ReferentialRef(id=ref.id, competencies=tuple(c.id for c in ref.competencies)),
        lead_key=lead_key,
    )


class Keys:
    """ProgrammeBook.keys in memory: a random key per local id, kept."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def __call__(self, local_ids: list[str]) -> dict[str, str]:
        for local in local_ids:
            self.keys.setdefault(local, new_id(16))
        return {local: self.keys[local] for local in local_ids}


@dataclass
class Coach:
    key: str = field(default_factory=lambda: new_id(16))
    keys: Keys = field(default_factory=Keys)
    engagements: dict[str, EngagementFacts] = field(default_factory=dict)


def _person(rng: random.Random, competencies: tuple[str, ...]) -> PersonFacts:
    allow = rng.random() < 0.8
    objectives = tuple(
        (rng.choice([*Area, None]), rng.choice(list(ObjectiveStatus)))
        for _ in range(rng.randint(0, 4))
    )
    fsac = tuple(
        (
            c,
            rng.choice([*Level, None]),
            rng.choice([*Level, None]),
        )
        for c in rng.sample(competencies, rng.randint(0, 3))
    )
    return PersonFacts(
        local_id=new_id(),
        objectives=objectives if allow else None,
        competencies=fsac if allow else None,
        evaluation_hot=rng.choice([None, 1, 2, 3, 4, 5]),
        evaluation_cold=rng.choice([None, 3, 4]),
    )


def _sessions(rng: random.Random, begin: date, today: date) -> tuple[SessionFacts, ...]:
    out = []
    day = begin
    if rng.random() < 0.85:
        out.append(SessionFacts(held_on=day, kind=SessionKind.KICKOFF))
    for _ in range(rng.randint(0, 9)):
        day += timedelta(days=rng.randint(5, 30))
        if day > today:
            break
        kind = rng.choice([SessionKind.AOI, SessionKind.AOI, SessionKind.COACHING])
        handover = (rng.random() < 0.8) if kind is SessionKind.AOI else None
        out.append(SessionFacts(held_on=day, kind=kind, handover=handover))
    if rng.random() < 0.3 and day <= today:
        out.append(SessionFacts(held_on=day, kind=SessionKind.CLOSING))
    return tuple(out)


def new_engagement(
    rng: random.Random, prog: Programme, weights: list[float], today: date
) -> EngagementFacts:
    form = rng.choices(["individual", "team", "peers"], [0.75, 0.15, 0.10])[0]
    size = 1 if form == "individual" else rng.randint(2, 8)
    site: str | None = rng.choices(list(prog.site_codes), weights)[0]
    if form == "peers" and rng.random() < 0.5:
        site = None
    begin = prog.periods.start + timedelta(
        days=rng.randint(0, max(0, (today - prog.periods.start).days))
    )
    status = rng.choices(
        [Status.FRAMING, Status.ACTIVE, Status.CLOSED, Status.WITHDRAWN], [0.1, 0.55, 0.3, 0.05]
    )[0]
    return EngagementFacts(
        local_id=new_id(),
        site=site,
        format=rng.choice(list(Format)),
        form=form,  # type: ignore[arg-type]
        status=status,
        planned_sessions=rng.randint(3, 12),
        cadence_days=rng.choice([14, 21, 30]),
        sessions=_sessions(rng, begin, today) if status is not Status.FRAMING else (),
        people=tuple(_person(rng, prog.referential.competencies) for _ in range(size)),
    )


@dataclass
class World:
    prog: Programme
    coaches: list[Coach]
    weights: list[float]
    today: date

    def feeds(self, when: int = 0) -> list[tuple[str, Feed]]:
        from datetime import UTC, datetime

        at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=when)
        return [
            (
                f"coach{i}",
                build_feed(self.prog, c.key, c.keys, c.engagements.values(), written_at=at),
            )
            for i, c in enumerate(self.coaches)
        ]


def world(seed: int, *, sites: int, engagements: int, coaches: int, k: int, tiny: int = 1) -> World:
    rng = random.Random(seed)
    _IDS.seed(seed)
    prog = programme(sites, k)
    weights = [rng.uniform(1, 6) for _ in range(sites)]
    for i in range(min(tiny, sites)):
        weights[-1 - i] = 0.05  # a tiny site or two
    today = date(2026, 6, 15)
    w = World(prog, [Coach() for _ in range(coaches)], weights, today)
    for _ in range(engagements):
        f = new_engagement(rng, prog, weights, today)
        rng.choice(w.coaches).engagements[f.local_id] = f
    return w


def evolve(w: World, seed: int, changes: int) -> None:
    """Between two reports: new engagements, sessions, closings, withdrawals, erasures."""
    rng = random.Random(seed)
    w.today += timedelta(days=rng.randint(10, 60))
    for _ in range(changes):
        coach = rng.choice(w.coaches)
        what = rng.random()
        if what < 0.4 or not coach.engagements:
            f = new_engagement(rng, w.prog, w.weights, w.today)
            coach.engagements[f.local_id] = f
            continue
        local = rng.choice(sorted(coach.engagements))
        f = coach.engagements[local]
        if what < 0.6:
            last = max((s.held_on for s in f.sessions), default=w.today - timedelta(days=20))
            day = min(w.today, last + timedelta(days=rng.randint(5, 25)))
            new = SessionFacts(held_on=day, kind=SessionKind.AOI, handover=rng.random() < 0.8)
            coach.engagements[local] = replace(f, sessions=(*f.sessions, new), status=Status.ACTIVE)
        elif what < 0.75:
            coach.engagements[local] = replace(f, status=Status.CLOSED)
        elif what < 0.85:
            coach.engagements[local] = replace(f, status=Status.WITHDRAWN)
        else:
            del coach.engagements[local]  # erased
