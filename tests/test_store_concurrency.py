"""Two `aoi` processes on one data folder (the TUI open while a script adds a
note, a second SSH login) never lose or corrupt each other's writes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from aoi_tui.secure.storage import decrypt_file, encode
from aoi_tui.store import store as store_module
from aoi_tui.store.store import Store, StoreBusy
from tests.test_store import eng_path, new_engagement, note_texts, reopen
from tests.test_store_crash import acknowledged, spawn_writer


def test_two_processes_adding_notes_at_once_lose_nothing(store: Store) -> None:
    ef = new_engagement(store)
    before = ef.add_note(1, "before")
    writers = [spawn_writer(store, "notes", ef.id, 100, name, wait=True) for name in "AB"]
    for proc in writers:  # both are ready: start them together
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    ids = [acknowledged(proc) for proc in writers]
    for proc in writers:
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert [len(i) for i in ids] == [100, 100]

    notes = reopen(store).engagement(ef.id).notes()
    assert {n.id for n in notes} == {before.id, *ids[0], *ids[1]}
    texts = sorted(n.text for n in notes)
    assert texts == sorted(["before"] + [f"{w} {i}" for w in "AB" for i in range(100)])


def test_a_process_with_a_stale_view_keeps_the_others_notes(store: Store) -> None:
    ef = new_engagement(store)  # this process has read and cached the file
    ef.add_note(1, "mine 1")
    other = spawn_writer(store, "notes", ef.id, 3, "theirs")
    assert len(acknowledged(other)) == 3

    assert [n.text for n in ef.notes()] == ["mine 1", "theirs 0", "theirs 1", "theirs 2"]
    ef.add_note(1, "mine 2")
    assert note_texts(store, ef.id) == ["mine 1", "theirs 0", "theirs 1", "theirs 2", "mine 2"]


def test_a_stale_view_that_writes_first_keeps_the_others_notes(store: Store) -> None:
    ef = new_engagement(store)
    note = ef.add_note(1, "mine, to be edited")
    other = spawn_writer(store, "notes", ef.id, 2, "theirs")
    assert len(acknowledged(other)) == 2
    note.edit("mine, edited")  # edited from the copy read before the other process wrote
    ef.update(note)
    assert note_texts(store, ef.id) == ["mine, edited", "theirs 0", "theirs 1"]


def test_two_processes_creating_engagements_at_once_lose_none(store: Store) -> None:
    writers = [spawn_writer(store, "engagements", "-", 8, name, wait=True) for name in "AB"]
    for proc in writers:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    created = {eid for proc in writers for eid in acknowledged(proc)}
    assert len(created) == 16
    again = reopen(store)
    assert {s.id for s in again.list_engagements()} == created
    assert set(again.keyfile.engagement_keys) == created
    for eid in created:
        assert [s.number for s in again.engagement(eid).sessions()] == [1]


def test_two_threads_saving_through_one_engagement_file(store: Store) -> None:
    ef = new_engagement(store)
    errors: list[BaseException] = []

    def add(label: str) -> None:
        try:
            for i in range(25):
                ef.add_note(1, f"{label} {i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(label,)) for label in "AB"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(note_texts(store, ef.id)) == 50


def test_a_lock_held_too_long_is_a_clear_busy_error(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ef = new_engagement(store)
    ef.add_note(1, "before")
    before = eng_path(store, ef.id).read_bytes()
    lock_path = store.root / "locks" / f"{ef.id}.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from filelock import FileLock; "
            f"lock = FileLock({str(lock_path)!r}); lock.acquire(); "
            "print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        monkeypatch.setattr(store_module, "LOCK_TIMEOUT_S", 0.3)
        busy = reopen(store).engagement(ef.id)
        with pytest.raises(StoreBusy, match="busy"):
            busy.add_note(1, "typed while another aoi writes")
        assert eng_path(store, ef.id).read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    busy.add_note(1, "after")  # the lock died with its holder
    assert note_texts(store, ef.id) == ["before", "after"]


def test_a_change_is_seen_even_when_the_file_looks_unchanged(store: Store) -> None:
    """Inode numbers are reused at once and file times are coarse (a few ms):
    another process's write can leave the same inode, time and size. The
    cached copy must not be trusted on those alone, or the next save of this
    process would silently drop the other's change."""
    ef = new_engagement(store)
    ef.add_note(1, "version A")
    path = eng_path(store, ef.id)
    assert [n.text for n in ef.notes()] == ["version A"]  # cached here
    st = path.stat()

    # Another process changes the note; its write reuses the inode (here: the
    # same file rewritten) within the same tick (here: the time set back).
    key = store.engagement_key(ef.id)
    data = decrypt_file(path, key, ef.id)
    [doc] = data["notes"].values()
    doc["text"] = "version B"  # same length: the file keeps its size
    path.write_bytes(encode(data, key, ef.id))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        st.st_ino,
        st.st_size,
        st.st_mtime_ns,
    )

    assert [n.text for n in ef.notes()] == ["version B"]
    ef.add_note(1, "C")
    assert note_texts(store, ef.id) == ["version B", "C"]
