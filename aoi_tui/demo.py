"""Fictional engagements in French, to try aoi without real data: one under
way (`DEMO_COACHEE`), one closed with its closing review (`CLOSED_DEMO_COACHEE`),
and a team's (`GROUP_DEMO`).

Their data is not code: `data/demo/*.json` holds each as the store's own JSON,
the contents of an engagement file (its file version, then its tables of
records), and it is read through the store's migrations, so a file of an older
version, or a record of an older schema, is upgraded as a store's would be.

The dates stay relative to today: each file is written as if today were
`WRITTEN_ON`, and every date in it moves by the days between that day and
today (a time keeps its hour, in today's time zone). Every id is replaced by a
fresh one, references between records kept (a file name never carries a
name)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, tzinfo
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from aoi_tui.domain import clock
from aoi_tui.domain.ids import new_id
from aoi_tui.domain.models import RECORD_TYPES, STORED, Engagement, Participant, Record
from aoi_tui.secure.storage import StoreFileError
from aoi_tui.store.engagement_file import load_engagement, load_record
from aoi_tui.store.migrations import FILE_KEY, TooNew, upgrade_file
from aoi_tui.store.store import Store

DEMO_COACHEE = "Camille Lefèvre (démo)"
CLOSED_DEMO_COACHEE = "Julien Martin (démo)"
GROUP_DEMO = "Équipe ligne 2 (démo)"
"""A team of five with their N+1 (issue 13): two collective sessions, one with
one participant; made with the others (`create_demos`)."""
FILES = {
    DEMO_COACHEE: "camille.json",
    CLOSED_DEMO_COACHEE: "julien.json",
    GROUP_DEMO: "equipe.json",
}
"""The file of each demo engagement, in `data/demo/`."""

WRITTEN_ON = date(2026, 11, 23)
"""The day the files' dates were written for: it becomes today."""

R = TypeVar("R", bound=Record)
_TABLES = {cls.table: cls for cls in RECORD_TYPES}


def find_demo(store: Store, coachee: str = DEMO_COACHEE) -> str | None:
    for summary in store.list_engagements():
        if summary.demo and summary.coachee == coachee:
            return summary.id
    return None


def create_demo(store: Store) -> tuple[str, bool]:
    """The demo engagement's id, and whether it was created now (False: it existed).
    A second, closed demo engagement shows the end of the arc: the closing review."""
    if find_demo(store, CLOSED_DEMO_COACHEE) is None:
        _create(store, FILES[CLOSED_DEMO_COACHEE])
    existing = find_demo(store)
    if existing:
        return existing, False
    return _create(store, FILES[DEMO_COACHEE]), True


def create_demos(store: Store) -> tuple[str, bool]:
    """What a new store starts with, and what `aoi demo` makes: the individual
    demo engagements and the team's, so that a newcomer sees both forms at
    once. The individual demo's id, and whether it was created now."""
    create_group_demo(store)
    return create_demo(store)


def create_group_demo(store: Store) -> tuple[str, bool]:
    """The collective demo engagement's id, and whether it was created now."""
    existing = find_demo(store, GROUP_DEMO)
    if existing:
        return existing, False
    return _create(store, FILES[GROUP_DEMO]), True


def _create(store: Store, name: str) -> str:
    engagement, *records = demo_records(name)
    if not isinstance(engagement, Engagement):
        raise StoreFileError(_path(name), "holds no engagement")
    ef = store.create_engagement(engagement)
    with ef.batch():
        for record in records:
            ef.insert(record)
    store.refresh_summary(ef.id)
    return ef.id


def _path(name: str) -> Path:
    return Path(str(resources.files("aoi_tui.data").joinpath("demo", name)))


def demo_records(name: str) -> list[Record]:
    """The records of the demo file `name` (in `data/demo/`): `records_of`."""
    text = resources.files("aoi_tui.data").joinpath("demo", name).read_text("utf-8")
    return records_of(json.loads(text), _path(name))


def records_of(data: dict[str, Any], path: Path) -> list[Record]:
    """The records of an engagement file's contents (`path` names it in errors),
    the engagement first, each upgraded and validated as the store reads it,
    dated from today, with fresh ids."""
    try:
        data = upgrade_file(data) or data
    except TooNew as exc:
        raise StoreFileError(path, str(exc)) from exc
    data = _fresh_ids(data)
    days = clock.today() - WRITTEN_ON
    zone = clock.now().tzinfo
    # the engagement carries its participants (their own table, read with it)
    records: list[Record] = [_moved(load_engagement(data, path), days, zone)]
    for table, docs in data.items():
        if table in (FILE_KEY, Engagement.table, Participant.table):
            continue
        if table not in _TABLES:
            raise StoreFileError(path, f"unknown table {table!r}")
        for doc in docs.values():
            records.append(_moved(load_record(_TABLES[table], doc, path), days, zone))
    return records


def _fresh_ids(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with every record's `id` replaced by a fresh id, and so every
    reference to one wherever it appears (`competency_id`, whom an item is
    `about`, who validated it, who came to a session, a reporting line)."""
    fresh: dict[str, str] = {}

    def collect(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                collect(v, k)
        elif isinstance(value, list):
            for v in value:
                collect(v)
        elif (key == "id" or key.endswith("_id")) and isinstance(value, str):
            fresh.setdefault(value, new_id())

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and value in fresh:
            return fresh[value]
        return value

    collect(data)
    result: dict[str, Any] = walk(data)
    return result


def _moved(record: R, days: timedelta, zone: tzinfo | None) -> R:
    """`record` with every date moved by `days`; a time keeps its hour, in `zone`."""
    return type(record).model_validate(_move(record.model_dump(), days, zone), context=STORED)


def _move(value: Any, days: timedelta, zone: tzinfo | None) -> Any:
    if isinstance(value, datetime):  # before date: a datetime is a date
        return datetime.combine(value.date() + days, value.time(), tzinfo=zone)
    if isinstance(value, date):
        return value + days
    if isinstance(value, dict):
        return {k: _move(v, days, zone) for k, v in value.items()}
    if isinstance(value, list):
        return [_move(v, days, zone) for v in value]
    return value
