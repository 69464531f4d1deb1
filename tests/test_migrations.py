"""Whole-file upgrades: an engagement file of an older file version is upgraded
once, under its lock, before its first read or write, and written back; a file
from a newer aoi is refused and left as it is. The step used here is the one
collective engagements need: the engagement's one coachee moved into a
table of participants. (Record upgrades: tests/test_store.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from filelock import FileLock, Timeout

from aoi_tui.domain.models import SessionKind
from aoi_tui.secure.storage import StoreFileError, decrypt_file
from aoi_tui.store import migrations
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.migrations import FILE_KEY, TooNew, upgrade_file
from aoi_tui.store.store import Store
from tests.test_store import new_engagement, note_texts, reopen

REAL_STEP = migrations.FILE_STEPS[1]


class Participants:
    """File step 1 -> 2 as this aoi registers it (the coachee becomes the first
    row of a `participants` table), counting its runs and checking that the
    file's lock is held."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.runs = 0

    def __call__(self, data: dict[str, Any]) -> dict[str, Any]:
        self.runs += 1
        [engagement] = data["engagement"].values()
        lock = FileLock(self.store.root / "locks" / f"{engagement['id']}.lock", timeout=0)
        with pytest.raises(Timeout):  # held by the upgrade
            lock.acquire()
        return REAL_STEP(data)


@pytest.fixture
def version_2(store: Store, monkeypatch: pytest.MonkeyPatch) -> Participants:
    step = Participants(store)
    monkeypatch.setattr(migrations, "FILE_STEPS", {**migrations.FILE_STEPS, 1: step})
    return step


def on_disk(ef: EngagementFile) -> dict[str, Any]:
    return decrypt_file(ef.path, ef.storage.key, ef.id)


def written_before_file_versions(store: Store) -> EngagementFile:
    """An engagement file as aoi wrote it before file versions (no `_file`):
    the coachee, their agreement and withdrawal in the engagement record, no
    table of participants."""
    ef = new_engagement(store)
    ef.add_note(1, "avant")
    data = on_disk(ef)
    del data[FILE_KEY]
    [engagement] = data["engagement"].values()
    [participant] = data.pop("participants").values()
    del engagement["form"]
    engagement["coachee"] = participant["name"]
    engagement["agreement"] = participant["agreement"]
    engagement["withdrawn_on"] = participant["withdrawn_on"]
    ef.storage.flush(data)
    return ef


# -- the hook -----------------------------------------------------------------------------


def test_a_new_engagement_file_carries_the_file_version(store: Store) -> None:
    ef = new_engagement(store)
    assert on_disk(ef)[FILE_KEY] == {"v": migrations.FILE_VERSION}


def test_a_file_is_upgraded_once_under_its_lock_before_the_first_read(
    store: Store, version_2: Participants
) -> None:
    ef = written_before_file_versions(store)
    fresh = reopen(store).engagement(ef.id)
    assert fresh.engagement().coachee == "Zoé Marchand"  # the first read upgrades
    assert version_2.runs == 1
    data = on_disk(ef)
    assert data[FILE_KEY] == {"v": migrations.FILE_VERSION}
    assert [p["name"] for p in data["participants"].values()] == ["Zoé Marchand"]
    assert [n.text for n in fresh.notes()] == ["avant"]
    # written back: neither this process nor the next one runs it again
    blob = ef.path.read_bytes()
    assert note_texts(store, ef.id) == ["avant"]
    reopen(store).engagement(ef.id).add_note(1, "après")
    assert version_2.runs == 1
    assert ef.path.read_bytes() != blob  # the note, not the upgrade
    assert on_disk(ef)[FILE_KEY] == {"v": migrations.FILE_VERSION}
    # a backup taken just before it holds the file as it was
    copies = [decrypt_file(b, ef.storage.key, ef.id) for b in store.backups.newest_first(ef.path)]
    assert any(FILE_KEY not in c and "participants" not in c for c in copies)


def test_a_write_first_upgrades_the_file_in_the_same_durable_write(
    store: Store, version_2: Participants
) -> None:
    ef = written_before_file_versions(store)
    fresh = reopen(store).engagement(ef.id)
    fresh.add_note(1, "après")
    assert version_2.runs == 1
    data = on_disk(ef)
    assert data[FILE_KEY] == {"v": migrations.FILE_VERSION} and "participants" in data
    assert note_texts(store, ef.id) == ["avant", "après"]


def test_two_processes_upgrade_the_file_once(store: Store, version_2: Participants) -> None:
    ef = written_before_file_versions(store)
    first, second = reopen(store).engagement(ef.id), reopen(store).engagement(ef.id)
    second.storage.read()  # it read the old file before the first one upgraded it
    first.sessions()
    second.new_session(SessionKind.AOI)  # under the lock, it reads the file again
    assert version_2.runs == 1
    assert len(on_disk(ef)["participants"]) == 1
    assert [s.number for s in reopen(store).engagement(ef.id).sessions()] == [1, 2]


def test_a_file_restored_from_a_copy_before_the_upgrade_is_upgraded_again(
    store: Store, version_2: Participants
) -> None:
    ef = written_before_file_versions(store)
    old = ef.path.read_bytes()
    fresh = reopen(store).engagement(ef.id)
    fresh.notes()
    ef.path.write_bytes(old)  # what `aoi doctor --repair` may put back
    assert [n.text for n in fresh.notes()] == ["avant"]
    assert version_2.runs == 2
    assert on_disk(ef)[FILE_KEY] == {"v": migrations.FILE_VERSION}


def test_a_failed_upgrade_leaves_the_file_as_it_was(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ef = written_before_file_versions(store)
    blob = ef.path.read_bytes()

    def broken(data: dict[str, Any]) -> dict[str, Any]:
        data["engagement"].clear()  # changes the copy it was given, then fails
        raise RuntimeError("a bug in the step")

    monkeypatch.setattr(migrations, "FILE_STEPS", {**migrations.FILE_STEPS, 1: broken})
    with pytest.raises(RuntimeError, match="a bug"):
        reopen(store).engagement(ef.id).notes()
    assert ef.path.read_bytes() == blob
    monkeypatch.setattr(migrations, "FILE_STEPS", {**migrations.FILE_STEPS, 1: REAL_STEP})
    assert note_texts(store, ef.id) == ["avant"]


def test_a_file_from_a_newer_aoi_is_refused_and_left_as_it_is(store: Store) -> None:
    ef = new_engagement(store)
    ef.add_note(1, "écrite par un aoi plus récent")
    data = on_disk(ef)
    data[FILE_KEY] = {"v": 99}
    ef.storage.flush(data)
    blob = ef.path.read_bytes()
    fresh = reopen(store).engagement(ef.id)
    for attempt in (fresh.notes, lambda: fresh.add_note(1, "refusée")):
        with pytest.raises(StoreFileError) as caught:
            attempt()
        assert caught.value.path == ef.path
        message = str(caught.value)
        assert "file version 99" in message and "upgrade aoi" in message, message
    assert ef.path.read_bytes() == blob


# -- upgrade_file alone ----------------------------------------------------------------------


def test_upgrade_file_changes_a_copy_and_nothing_when_current(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data: dict[str, Any] = {"engagement": {"1": {"coachee": "A"}}}
    monkeypatch.setattr(migrations, "FILE_VERSION", 1)
    monkeypatch.setattr(migrations, "FILE_STEPS", {})
    assert upgrade_file(data) is None  # version 1 (no `_file`) is current

    def step(doc: dict[str, Any]) -> dict[str, Any]:
        doc["engagement"]["1"]["coachee"] = "B"
        return doc

    monkeypatch.setattr(migrations, "FILE_VERSION", 2)
    monkeypatch.setattr(migrations, "FILE_STEPS", {**migrations.FILE_STEPS, 1: step})
    upgraded = upgrade_file(data)
    assert upgraded == {"engagement": {"1": {"coachee": "B"}}, FILE_KEY: {"v": 2}}
    assert data == {"engagement": {"1": {"coachee": "A"}}}
    assert upgrade_file(upgraded) is None
    with pytest.raises(TooNew, match="file version 3; this aoi knows up to 2"):
        upgrade_file({FILE_KEY: {"v": 3}})


def test_file_steps_and_version_agree() -> None:
    """Every version below the current one has its step."""
    assert sorted(migrations.FILE_STEPS) == list(range(1, migrations.FILE_VERSION))
