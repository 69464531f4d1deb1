"""`aoi doctor`: finds what is wrong with a store and, with repair, restores a
damaged file from its newest good backup without ever destroying the damaged
one (it goes to quarantine/)."""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from aoi_tui.domain.models import SessionKind
from aoi_tui.secure import durable
from aoi_tui.secure.durable import write_atomic
from aoi_tui.secure.storage import StoreFileError
from aoi_tui.store.doctor import TMP_IN_PROGRESS_S, DoctorReport, run_doctor
from aoi_tui.store.store import INDEX, INDEX_ID, KEYS, IndexNotUpdated, Store, backups
from tests.cli_support import aoi
from tests.test_store import COACHEE, eng_path, new_engagement, note_texts, reopen

GARBAGE = b"\x00\x01 this is not an aoi file \xff" * 20


def doctor(store: Store, repair: bool = False) -> DoctorReport:
    return run_doctor(store.root, lambda: reopen(store), repair=repair)


def problems(report: DoctorReport) -> dict[Path, str]:
    return {f.path: f.problem for f in report.findings}


def quarantined(store: Store) -> list[bytes]:
    folder = store.root / "quarantine"
    return [p.read_bytes() for p in sorted(folder.iterdir())] if folder.is_dir() else []


def with_backup(store: Store) -> tuple[str, Path]:
    """An engagement with three notes: a rotating backup holds the first two
    (taken before the third was written), the copy of its last write all three."""
    ef = new_engagement(store)
    ef.add_note(1, "une")
    ef.add_note(1, "deux")
    reopen(store).engagement(ef.id).add_note(1, "trois")  # a new process backs up first
    return ef.id, eng_path(store, ef.id)


def test_a_healthy_store_is_reported_healthy(store: Store) -> None:
    new_engagement(store)
    new_engagement(store, coachee="Yann Le Goff")
    report = doctor(store)
    assert report.findings == []
    assert report.healthy
    assert report.checked == 4  # key file, index, two engagements
    assert "healthy" in report.human()


def test_leftover_temporary_files_are_reported_and_removed(store: Store) -> None:
    eid, path = with_backup(store)
    leftover = path.with_name(f".{path.name}.abcdefgh.tmp")
    leftover.write_bytes(b"half a write")
    old = time.time() - TMP_IN_PROGRESS_S - 1
    os.utime(leftover, (old, old))
    in_progress = path.with_name(f".{path.name}.ijklmnop.tmp")
    in_progress.write_bytes(b"a write of another aoi, still running")
    report = doctor(store)
    assert problems(report) == {leftover: "leftover temporary file"}
    assert leftover.exists()
    report = doctor(store, repair=True)
    assert report.healthy and report.findings[0].repaired == "removed"
    assert not leftover.exists()
    assert in_progress.exists(), "a recent temporary file may be a write in progress"
    assert note_texts(store, eid) == ["une", "deux", "trois"]


def test_repair_waits_for_a_running_aoi_and_keeps_what_it_wrote(store: Store) -> None:
    eid, path = with_backup(store)
    written = path.read_bytes()  # with the third note, newer than any backup
    path.write_bytes(GARBAGE)
    other = reopen(store)  # another aoi, mid-write: it holds the file's lock

    def rewrite() -> None:
        with other.lock(eid):
            holding.set()
            time.sleep(0.3)
            write_atomic(path, written)

    holding = threading.Event()
    writer = threading.Thread(target=rewrite)
    writer.start()
    holding.wait(5)
    report = doctor(store, repair=True)
    writer.join()
    assert report.findings[0].repaired == "rewritten meanwhile by another aoi; left as it is"
    assert note_texts(store, eid) == ["une", "deux", "trois"]  # not the older backup
    assert quarantined(store) == []


def test_a_file_created_while_the_doctor_runs_is_not_taken_for_an_erased_one(
    store: Store,
) -> None:
    new_engagement(store)
    opened_before = reopen(store)  # the doctor read the key file before the next creation
    eid = new_engagement(store, coachee="Yann Le Goff").id
    report = run_doctor(store.root, lambda: opened_before, repair=True)
    assert report.healthy and report.findings == []
    assert eng_path(store, eid).exists()
    assert eid in {s.id for s in reopen(store).list_engagements()}, "its line is kept"


def test_a_change_saved_without_its_index_row_is_said_and_repair_sets_the_row_right(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ef = new_engagement(store)  # one AOI session
    real_replace = os.replace

    def full_for_the_index(src: Any, dst: Any) -> None:
        if Path(dst).name == INDEX:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    with monkeypatch.context() as m:
        m.setattr(durable.os, "replace", full_for_the_index)
        with pytest.raises(IndexNotUpdated, match=r"^saved, but the list of engagements could"):
            ef.new_session(SessionKind.AOI)
    assert len(reopen(store).engagement(ef.id).sessions()) == 2  # the change is on disk
    assert reopen(store).summary(ef.id).sessions_held == 1  # its line in the list is behind
    assert doctor(store, repair=True).healthy
    assert reopen(store).summary(ef.id).sessions_held == 2


def test_a_line_left_for_an_erased_engagement_is_reported_and_repaired(store: Store) -> None:
    new_engagement(store)
    gone = new_engagement(store, coachee="Yann Le Goff")
    # erased, then the index restored from a backup older than the erasure
    store.update_keyfile(lambda kf: kf.forget_engagement(gone.id))
    eng_path(store, gone.id).unlink()
    assert len(reopen(store).list_engagements()) == 2
    report = doctor(store)
    assert problems(report) == {
        store.root / INDEX: "out of step with the engagements (a line missing or left over)"
    }
    assert doctor(store, repair=True).healthy
    assert [s.coachee for s in reopen(store).list_engagements()] == [COACHEE]


def test_a_busy_index_leaves_the_change_saved_and_says_so(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # before any lock is made: the store keeps one per name, with its time-out
    monkeypatch.setattr("aoi_tui.store.store.LOCK_TIMEOUT_S", 0.2)
    ef = new_engagement(store)
    # another aoi holds the index
    with reopen(store).lock(INDEX_ID), pytest.raises(IndexNotUpdated, match="busy"):
        ef.new_session(SessionKind.AOI)
    assert len(reopen(store).engagement(ef.id).sessions()) == 2


def test_a_corrupt_engagement_file_is_restored_from_its_newest_backup(store: Store) -> None:
    eid, path = with_backup(store)
    path.write_bytes(GARBAGE)

    report = doctor(store)
    assert not report.healthy
    assert problems(report) == {path: "not an aoi file"}
    assert "--repair" in report.human()
    assert path.read_bytes() == GARBAGE  # looking changes nothing

    report = doctor(store, repair=True)
    assert report.healthy
    assert report.findings[0].repaired.startswith("restored from backup")
    # the copy of its last write: the newest note too (the rotating backups,
    # taken before writes, lack it)
    assert note_texts(store, eid) == ["une", "deux", "trois"]
    assert quarantined(store) == [GARBAGE]
    assert doctor(store).findings == []


def test_a_swapped_in_file_is_quarantined_and_restored(store: Store) -> None:
    eid, path = with_backup(store)
    other = new_engagement(store, coachee="Yann Le Goff")
    foreign = eng_path(store, other.id).read_bytes()
    path.write_bytes(foreign)

    report = doctor(store, repair=True)
    assert problems(report) == {path: "corrupt, or encrypted with another key"}
    assert report.healthy
    assert note_texts(store, eid) == ["une", "deux", "trois"]
    assert quarantined(store) == [foreign]


def test_failed_saves_on_a_corrupt_file_do_not_rotate_the_good_backups_away(
    store: Store,
) -> None:
    eid, path = with_backup(store)
    path.write_bytes(GARBAGE)
    for _ in range(backups.KEEP + 1):  # the coach retries, each time a new `aoi`
        with pytest.raises(StoreFileError):
            reopen(store).engagement(eid).add_note(1, "quatre")
        with pytest.raises(StoreFileError):
            reopen(store).engagement(eid).new_session(SessionKind.AOI)
    assert path.read_bytes() == GARBAGE
    report = doctor(store, repair=True)
    assert report.healthy, report.human()
    assert note_texts(store, eid) == ["une", "deux", "trois"]


def test_a_missing_engagement_file_is_restored(store: Store) -> None:
    eid, path = with_backup(store)
    path.unlink()
    report = doctor(store)
    assert problems(report) == {path: "missing"}
    assert doctor(store, repair=True).healthy
    assert note_texts(store, eid) == ["une", "deux", "trois"]


def test_without_a_good_backup_the_damage_is_reported_not_hidden(store: Store) -> None:
    ef = new_engagement(store)
    path = eng_path(store, ef.id)
    for backup in store.backups.copies(path):
        backup.write_bytes(GARBAGE)
    path.write_bytes(GARBAGE)
    report = doctor(store, repair=True)
    assert not report.healthy
    assert problems(report)[path] == "not an aoi file"
    assert path.read_bytes() == GARBAGE


def test_a_corrupt_index_without_backups_is_rebuilt_from_the_engagement_files(
    store: Store,
) -> None:
    a = new_engagement(store)
    b = new_engagement(store, coachee="Yann Le Goff")
    index = store.root / INDEX
    store.backups.remove_all(index)
    index.write_bytes(GARBAGE)
    with pytest.raises(StoreFileError):
        reopen(store).list_engagements()

    report = doctor(store, repair=True)
    assert report.healthy, report.human()
    listed = {(s.id, s.coachee, s.sessions_held) for s in reopen(store).list_engagements()}
    assert listed == {(a.id, "Zoé Marchand", 1), (b.id, "Yann Le Goff", 1)}
    assert quarantined(store) == [GARBAGE]


def test_an_index_restored_from_an_old_backup_is_completed(store: Store) -> None:
    a = new_engagement(store)
    reopen(store).refresh_summary(a.id)  # a new process: backs up an index listing `a`
    b = new_engagement(store, coachee="Yann Le Goff")
    (store.root / INDEX).write_bytes(GARBAGE)

    report = doctor(store, repair=True)
    assert report.healthy, report.human()
    assert {s.id for s in reopen(store).list_engagements()} == {a.id, b.id}


def test_a_missing_index_is_rebuilt(store: Store) -> None:
    a = new_engagement(store)
    (store.root / INDEX).unlink()
    store.backups.remove_all(store.root / INDEX)
    report = doctor(store, repair=True)
    assert report.healthy, report.human()
    assert [s.id for s in reopen(store).list_engagements()] == [a.id]


def test_a_missing_index_is_rebuilt_by_the_first_list_not_shown_as_an_empty_store(
    store: Store, cli_env: dict[str, str]
) -> None:
    """The index deleted (by hand, a sync tool, a restore that forgot it): the list
    said "No engagement yet" until `aoi doctor --repair`; it rebuilds it itself."""
    a = new_engagement(store)
    b = new_engagement(store, coachee="Yann Le Goff")
    (store.root / INDEX).unlink()
    store.backups.remove_all(store.root / INDEX)
    listed = json.loads(aoi(cli_env, "engagement", "list", "--json").stdout)
    assert {e["id"]: e["sessions_held"] for e in listed} == {a.id: 1, b.id: 1}
    assert (store.root / INDEX).exists()
    assert doctor(store).healthy


def test_a_corrupt_key_file_is_restored_from_its_backup(store: Store) -> None:
    eid, _ = with_backup(store)
    keys = store.root / KEYS
    keys.write_bytes(b'{"format": "aoi-keys", "v": 1, "store_id": ')
    report = doctor(store, repair=True)
    assert problems(report)[keys] == "corrupt key file"
    assert report.healthy, report.human()
    assert eid in json.loads(keys.read_bytes())["engagements"]
    assert note_texts(store, eid) == ["une", "deux", "trois"]


def test_a_deleted_key_file_is_restored_from_its_backup(store: Store) -> None:
    eid, _ = with_backup(store)
    (store.root / KEYS).unlink()
    report = doctor(store, repair=True)
    assert report.healthy, report.human()
    assert note_texts(store, eid) == ["une", "deux", "trois"]


def test_an_engagement_file_without_a_key_is_moved_aside(store: Store) -> None:
    eid, path = with_backup(store)
    stray = path.with_name("0123456789ab.db")
    stray.write_bytes(path.read_bytes())
    report = doctor(store)
    assert problems(report) == {stray: "no key for this file (erased engagement?)"}
    report = doctor(store, repair=True)
    assert report.healthy and not stray.exists()
    assert len(quarantined(store)) == 1
    assert note_texts(store, eid) == ["une", "deux", "trois"]


def test_index_rows_without_a_key_are_dropped(store: Store) -> None:
    a = new_engagement(store)
    b = new_engagement(store, coachee="Yann Le Goff")
    store.update_keyfile(lambda kf: kf.forget_engagement(b.id))  # its key lost, not its row
    assert {s.id for s in reopen(store).list_engagements()} == {a.id, b.id}
    report = doctor(store, repair=True)
    assert report.healthy, report.human()
    assert [s.id for s in reopen(store).list_engagements()] == [a.id]
    assert not eng_path(store, b.id).exists()  # unreadable without its key: quarantined
