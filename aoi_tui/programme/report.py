"""`aoi programme report`: many feeds, one programme view.

Feeds are decrypted with the lead's key and checked (another programme, a newer
schema, a feed that is not one: refused by name). The latest feed of each coach
replaces that coach's earlier ones, so an erasure or a withdrawal carries
through. The figures are built (`tables.py`), the disclosure control decides
what is shown (`disclosure.py`) against the register of what earlier reports
published, and the report is registered before it is written: a report written
but not registered would let the next one be checked against less than was
published."""

from __future__ import annotations

import base64
import gc
import json
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any, NamedTuple, cast

from aoi_tui.domain.ids import new_id
from aoi_tui.domain.vocabulary import Area, Format, Level, ObjectiveStatus, SessionKind, Status
from aoi_tui.programme.definition import Programme, ProgrammeError
from aoi_tui.programme.disclosure import Decision, Earlier, choose_rows, decide
from aoi_tui.programme.feed import Feed, FeedEngagement
from aoi_tui.programme.tables import OTHER, T, Table, Token, build_tables

REPORT_FORMAT = "aoi-programme-report"
REPORT_VERSION = 1


@dataclass
class Report:
    programme: Programme
    id: str
    made_on: date
    tables: list[Table]
    decision: Decision
    shown_sites: list[str]
    merged_sites: list[str]
    """Sites gathered in "other" (too few people, or too few changed)."""
    has_other: bool
    feeds: int
    last_period: int

    def figure(self, table: Table, pos: tuple[str, str]) -> list[int] | None:
        """The values shown, or None when suppressed."""
        if self.decision.hidden(table.name, pos):
            return None
        return list(table.cells[pos].values)

    def published(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for table in self.tables:
            for pos in table.positions():
                values = self.figure(table, pos)
                if values is not None:
                    out[table.fid(pos)] = values
        return out


def merge(
    feeds: list[tuple[str, Feed]], used: dict[str, str] | None = None
) -> list[FeedEngagement]:
    """The latest feed of each coach, their engagements together. Refused: two
    coaches claiming one key (a copied feed under another coach's key); two
    different feeds of one coach written the same second (which is the latest?);
    a coach's feed older than the one an earlier report used (`used`: coach key
    -> when its feed was written), which would bring back what an erasure or a
    withdrawal took out."""
    latest: dict[str, tuple[str, Feed]] = {}
    for where, feed in feeds:
        held = latest.get(feed.coach)
        if held is not None and feed.written_at == held[1].written_at and feed != held[1]:
            raise ProgrammeError(
                f"{where} and {held[0]}: two different feeds of one coach written at "
                f"{feed.written_at.isoformat()}: give the latest one only"
            )
        if held is None or feed.written_at > held[1].written_at:
            latest[feed.coach] = (where, feed)
    for where, feed in latest.values():
        before = (used or {}).get(feed.coach)
        if before is not None and feed.written_at < datetime.fromisoformat(before):
            raise ProgrammeError(
                f"{where}: written at {feed.written_at.isoformat()}, older than this coach's "
                f"feed an earlier report used ({before}): give the coach's latest feed"
            )
    engagements: list[FeedEngagement] = []
    owner: dict[str, str] = {}
    for where, feed in latest.values():
        for e in feed.engagements:
            for key in (e.key, *(p.key for p in e.participants)):
                if key in owner and owner[key] != where:
                    raise ProgrammeError(
                        f"{where}: key {key} is also in {owner[key]}: two coaches' feeds "
                        "name the same engagement or person"
                    )
                owner[key] = where
            engagements.append(e)
    engagements.sort(key=lambda e: e.key)
    return engagements


def _rows(programme: Programme, shown: list[str], has_other: bool) -> list[str]:
    return [s for s in programme.site_codes if s in shown] + ([OTHER] if has_other else [])


def _layout(
    programme: Programme, engagements: list[FeedEngagement], shown: list[str], last_period: int
) -> tuple[list[Table], bool]:
    def row_of(site: str | None) -> str:
        return site if site in shown else OTHER

    has_other = any(row_of(e.site) == OTHER for e in engagements if e.status.value != "withdrawn")
    rows = _rows(programme, shown, has_other)
    return build_tables(programme, engagements, row_of, rows, last_period), has_other


def snapshot(engagements: list[FeedEngagement]) -> str:
    """The engagements a report was made from, for the register (compressed JSON)."""
    from pydantic import TypeAdapter

    raw = TypeAdapter(list[FeedEngagement]).dump_json(engagements)
    return base64.b64encode(zlib.compress(raw, 6)).decode("ascii")


def from_snapshot(text: str) -> list[FeedEngagement]:
    """The engagements a register entry kept, as the tables read them. They were
    validated when their feeds were read, and the register is encrypted in the
    lead's store: they are rebuilt as plain attribute holders, not validated
    again (pydantic's construction was most of a large report's time)."""
    raw = json.loads(zlib.decompress(base64.b64decode(text)))
    raw.reverse()
    found = []
    seen: _Seen = {}
    while raw:  # each one's JSON dropped as it is rebuilt: not both in memory
        found.append(cast(FeedEngagement, _engagement(raw.pop(), seen)))
    return found


_FORMATS = {f.value: f for f in Format}
_STATUSES = {s.value: s for s in Status}
_KINDS = {k.value: k for k in SessionKind}
_AREAS: dict[str | None, Area | None] = {None: None, **{a.value: a for a in Area}}
_OBJECTIVE_STATUSES = {s.value: s for s in ObjectiveStatus}
_LEVELS: dict[int | None, Level | None] = {None: None, **{level.value: level for level in Level}}
"""Enumerations by value: a dictionary's lookup, not Enum's call (tens of thousands
of them in a large programme's register)."""


class _Session(NamedTuple):
    kind: SessionKind
    period: int
    handover: bool | None


class _Objective(NamedTuple):
    area: Area | None
    status: ObjectiveStatus


class _Competency(NamedTuple):
    competency: str
    start: Level | None
    latest: Level | None


class _Person(NamedTuple):
    key: str
    objectives: tuple[_Objective, ...] | None
    competencies: tuple[_Competency, ...] | None
    evaluation: None  # in no table


_Seen = dict[tuple[Any, ...], Any]
"""Parts already rebuilt, by value: a programme's thousands of sessions, objectives
and competencies are a few hundred distinct ones, each kept once."""


def _once(seen: _Seen, part: tuple[Any, ...]) -> Any:
    # by kind too: a session and a competency may hold equal values
    return seen.setdefault((type(part), part), part)


def _engagement(e: dict[str, Any], seen: _Seen) -> SimpleNamespace:
    return SimpleNamespace(
        **{
            **e,
            "format": _FORMATS[e["format"]],
            "status": _STATUSES[e["status"]],
            "sessions": tuple(
                _once(seen, _Session(_KINDS[s["kind"]], s["period"], s["handover"]))
                for s in e["sessions"]
            ),
            "participants": tuple(_person(p, seen) for p in e["participants"]),
        }
    )


def _person(p: dict[str, Any], seen: _Seen) -> _Person:
    objectives = p["objectives"]
    competencies = p["competencies"]
    return _Person(
        key=p["key"],
        objectives=None
        if objectives is None
        else tuple(
            _once(seen, _Objective(_AREAS[o["area"]], _OBJECTIVE_STATUSES[o["status"]]))
            for o in objectives
        ),
        competencies=None
        if competencies is None
        else tuple(
            _once(seen, _Competency(c["competency"], _LEVELS[c["start"]], _LEVELS[c["latest"]]))
            for c in competencies
        ),
        evaluation=None,
    )


def earlier_reports(programme: Programme, register: list[dict[str, Any]]) -> list[Earlier]:
    """Each registered report rebuilt: what it published, and who contributed
    what to each of its figures (from the feeds' state it was made from). Reports
    made from the same state with the same rows (the same report written in
    another format, or again with no new feed) have the same tables: built once,
    read by both (nothing changes a table once built). Each is rebuilt in turn, its
    people dropped before the next: only its tables stay, their figures' people
    kept compact (`tables.Entries`), as the checks across reports read them."""
    found = []
    built: dict[tuple[str, tuple[str, ...], int], list[Table]] = {}
    for entry in register:
        same = (entry["snapshot"], tuple(entry["shown"]), entry["last_period"])
        tables = built.get(same)
        if tables is None:
            engagements = from_snapshot(entry["snapshot"])
            shown = list(entry["shown"])
            tables = built[same] = _layout(programme, engagements, shown, entry["last_period"])[0]
            del engagements  # one earlier report's people at a time
        contrib = {t.fid(p): t.cells[p].contrib for t in tables for p in t.positions()}
        found.append(
            Earlier(
                at=entry["made_on"], published=entry["published"], contrib=contrib, tables=tables
            )
        )
    return found


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a report is made: reading feeds and
    building tables allocate hundreds of thousands of small objects that live
    until the report is written, so the collector walked the whole growing heap
    again and again (a third of a large report's time) to find no cycle. Back as
    it was afterwards, with what survived moved to the oldest generation at once
    (freeze, then unfreeze: no walk), where it would have gone after two more
    walks; cycles there are collected as usual."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:  # never unfreeze what someone else froze
            gc.freeze()
            gc.unfreeze()
        if was:
            gc.enable()


def build_report(
    programme: Programme,
    feeds: list[tuple[str, Feed]],
    register: list[dict[str, Any]],
    today: date,
) -> tuple[Report, dict[str, Any]]:
    """The report and its register entry (to be kept before the report is written)."""
    with no_cycle_collection():
        return _build_report(programme, feeds, register, today)


def _build_report(
    programme: Programme,
    feeds: list[tuple[str, Feed]],
    register: list[dict[str, Any]],
    today: date,
) -> tuple[Report, dict[str, Any]]:
    used: dict[str, str] = {}
    for earlier_entry in register:
        used.update(earlier_entry.get("coaches", {}))
    engagements = merge(feeds, used)
    # kept for the register now, while little else is in memory (its JSON is large)
    kept = snapshot(engagements)
    current = [e for e in engagements if e.status.value != "withdrawn"]
    people: dict[str | None, dict[str, Token]] = {}
    for e in current:
        group = people.setdefault(e.site, {})
        for p in e.participants:
            group[p.key] = e.key
    seen_periods = [s.period for e in engagements for s in e.sessions]
    seen_periods += [e.start_period for e in engagements if e.start_period]
    last_period = max([programme.periods.index(today), *seen_periods])
    earlier = earlier_reports(programme, register)
    shown = choose_rows(list(programme.site_codes), people, programme.min_group, earlier)
    tables, has_other = _layout(programme, engagements, shown, last_period)
    decision = decide(tables, programme.min_group, earlier)
    if decision.unprotected:
        raise ProgrammeError(
            f"no report: compared with an earlier report, a figure about fewer than "
            f"{programme.min_group} people could be worked out whatever is suppressed "
            f"(too few people changed in its row); it can be made once more have"
        )
    report = Report(
        programme=programme,
        id=new_id(12),
        made_on=today,
        tables=tables,
        decision=decision,
        shown_sites=shown,
        merged_sites=[s for s in programme.site_codes if s not in shown],
        has_other=has_other,
        feeds=len({f.coach for _, f in feeds}),
        last_period=last_period,
    )
    entry = {
        "report": report.id,
        "made_on": today.isoformat(),
        "at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "shown": shown,
        "last_period": last_period,
        "published": report.published(),
        "snapshot": kept,
        "coaches": {**used, **_latest_written(feeds)},
    }
    return report, entry


def _latest_written(feeds: list[tuple[str, Feed]]) -> dict[str, str]:
    latest: dict[str, str] = {}
    for _, feed in feeds:
        when = feed.written_at.isoformat()
        if feed.coach not in latest or datetime.fromisoformat(latest[feed.coach]) < feed.written_at:
            latest[feed.coach] = when
    return latest


def read_feeds(
    paths: list[str],
    read: Callable[[str], bytes],
    programme_for: Callable[[str], tuple[Programme, str]],
) -> tuple[Programme, str, list[tuple[str, Feed]]]:
    """Decrypt and check each feed; all must be of one programme, which this store
    leads (`programme_for` gives its definition and the lead's secret key)."""
    from aoi_tui.programme.feed import feed_programme, open_feed

    if not paths:
        raise ProgrammeError("give at least one feed")
    blobs = [(p, read(p)) for p in paths]
    first = feed_programme(blobs[0][1], blobs[0][0])
    programme, secret = programme_for(first)
    with no_cycle_collection():
        feeds = [(where, open_feed(blob, programme, secret, where)) for where, blob in blobs]
    return programme, secret, feeds


__all__ = ["REPORT_FORMAT", "REPORT_VERSION", "Report", "T", "build_report", "merge", "read_feeds"]
