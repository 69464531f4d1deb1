"""The demo engagements are data (`data/demo/*.json`, the store's own JSON), read
through the store's migrations, dated from today, with fresh ids. (What they
export: tests/test_export_golden.py; what the screens show of them:
tests/test_snapshots.py.)"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from aoi_tui import demo
from aoi_tui.domain.clock import NOW_ENV
from aoi_tui.domain.models import (
    SCHEMA_VERSION,
    Action,
    Assessment,
    Competency,
    Engagement,
    Note,
    Record,
    Session,
    text_hash,
)
from aoi_tui.secure.storage import StoreFileError
from aoi_tui.store import migrations
from aoi_tui.store.migrations import FILE_KEY
from aoi_tui.store.store import Store
from tests.support import REPO

DEMO = REPO / "data" / "demo"


def stored(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEMO / name).read_text("utf-8"))
    return data


def of(records: list[Record], cls: type[Any]) -> list[Any]:
    return [r for r in records if isinstance(r, cls)]


def test_each_demo_file_is_an_engagement_file_at_the_current_versions() -> None:
    assert sorted(p.name for p in DEMO.glob("*.json")) == sorted(demo.FILES.values())
    for name in demo.FILES.values():
        data = stored(name)
        assert data[FILE_KEY] == {"v": migrations.FILE_VERSION}
        assert len(data["engagement"]) == 1
        versions = {
            doc["v"] for table, docs in data.items() if table != FILE_KEY for doc in docs.values()
        }
        assert versions == {SCHEMA_VERSION}


@pytest.mark.parametrize(
    "now", ["2026-11-23T10:00:00+01:00", "2025-03-30T23:30:00-04:00", "2031-01-01T00:10:00+09:00"]
)
def test_dates_are_relative_to_today_and_times_keep_their_hour(
    monkeypatch: pytest.MonkeyPatch, now: str
) -> None:
    monkeypatch.setenv(NOW_ENV, now)
    today, zone = datetime.fromisoformat(now).date(), datetime.fromisoformat(now).tzinfo
    records = demo.demo_records(demo.FILES[demo.DEMO_COACHEE])
    [engagement] = of(records, Engagement)
    sessions = sorted(of(records, Session), key=lambda s: s.number)
    assert [(today - s.held_on).days for s in sessions] == [62, 44, 26, 8]
    assert engagement.next_session == today + timedelta(days=10)
    assert engagement.agreement.consent_date == today - timedelta(days=62)
    assert engagement.created_at == datetime.combine(today - timedelta(days=62), time(9), zone)
    for s in sessions:
        assert s.started_at == datetime.combine(s.held_on, time(9), zone)
        assert s.ended_at == datetime.combine(s.held_on, time(12, 20), zone)
    assert all(n.created_at.date() <= today for n in of(records, Note))


def test_ids_are_fresh_and_references_kept() -> None:
    first = demo.demo_records(demo.FILES[demo.DEMO_COACHEE])
    second = demo.demo_records(demo.FILES[demo.DEMO_COACHEE])
    assert not {r.id for r in first} & {r.id for r in second}
    assert len({r.id for r in first}) == len(first)
    competencies = {c.id for c in of(first, Competency)}
    assert {a.competency_id for a in of(first, Assessment)} == competencies


def test_what_the_demo_shows_as_validated_is_validated_for_its_text() -> None:
    """The files hold the hashes of the texts validated: a text edited in a file
    without its hash would silently stop reaching the N+1."""
    for name in demo.FILES.values():
        records = demo.demo_records(name)
        for r in [*of(records, Note), *of(records, Action)]:
            assert r.validation is None or r.validated, r.text
            # a group's: each participant's validation holds for the text
            assert all(v.holds_for(text_hash(r.text)) for v in r.validations), r.text
        for s in of(records, Session):
            each = s.sponsor_message_validations
            held = s.sponsor_message_validated or (
                bool(each) and all(v.holds_for(text_hash(s.sponsor_message)) for v in each)
            )
            assert not s.sponsor_message or held, s.sponsor_message
        [engagement] = of(records, Engagement)
        assert not engagement.closing_synthesis or engagement.closing_validated


def test_a_record_of_an_older_schema_in_a_demo_file_is_upgraded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = stored(demo.FILES[demo.DEMO_COACHEE])
    for note in data["notes"].values():  # as an aoi of schema 0 would have written it,
        note["v"] = 0  # had a note's text been called `body` then
        note["body"] = note.pop("text")

    def body_to_text(doc: dict[str, Any]) -> dict[str, Any]:
        doc["text"] = doc.pop("body")
        return doc

    monkeypatch.setitem(migrations.STEPS, "notes", {0: body_to_text})
    notes = of(demo.records_of(data, Path("old.json")), Note)
    texts = [n["body"] for n in data["notes"].values()]
    assert [n.text for n in notes] == texts
    assert {n.v for n in notes} == {SCHEMA_VERSION}


def test_a_demo_file_of_an_older_file_version_is_upgraded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = stored(demo.FILES[demo.CLOSED_DEMO_COACHEE])
    original = copy.deepcopy(data)

    def rename_coach(doc: dict[str, Any]) -> dict[str, Any]:
        for engagement in doc["engagement"].values():
            engagement["coach"] = engagement["coach"].upper()
        return doc

    # the demo's files are at this file version: a step to the next runs on them
    current = migrations.FILE_VERSION
    monkeypatch.setattr(migrations, "FILE_VERSION", current + 1)
    monkeypatch.setattr(migrations, "FILE_STEPS", {**migrations.FILE_STEPS, current: rename_coach})
    [engagement] = of(demo.records_of(data, Path("old.json")), Engagement)
    assert engagement.coach == "CLAIRE MOREAU"
    assert data == original


def test_a_demo_file_from_a_newer_aoi_is_refused() -> None:
    data = stored(demo.FILES[demo.DEMO_COACHEE])
    data[FILE_KEY] = {"v": 99}
    with pytest.raises(StoreFileError, match=r"new\.json: .*file version 99.*upgrade aoi"):
        demo.records_of(data, Path("new.json"))
    data = stored(demo.FILES[demo.DEMO_COACHEE])
    next(iter(data["notes"].values()))["v"] = 99
    with pytest.raises(StoreFileError, match="schema version 99"):
        demo.records_of(data, Path("new.json"))


def test_create_demo_makes_both_engagements_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(NOW_ENV, "2026-11-23T10:00:00+01:00")
    eid, created = demo.create_demo(store)
    assert created and demo.create_demo(store) == (eid, False)
    summaries = {s.coachee: s for s in store.list_engagements()}
    assert set(summaries) == {demo.DEMO_COACHEE, demo.CLOSED_DEMO_COACHEE}
    main, closed = summaries[demo.DEMO_COACHEE], summaries[demo.CLOSED_DEMO_COACHEE]
    assert (main.sessions_held, main.last_session) == (3, date(2026, 11, 15))  # kickoff aside
    assert (closed.status, closed.ended_on) == ("closed", date(2026, 11, 3))
    ef = store.engagement(eid)
    assert len(ef.notes()) == 14 and len(ef.actions()) == 5
