"""The store: what a coach saves is what a later `aoi` (a new process, a new
cache) reads back; files are laid out, named and protected as promised; a
full disk or a read-only folder leaves the previous state intact; backups
rotate; erasing an engagement erases it everywhere; old and too-new records."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from aoi_tui.domain.models import (
    SCHEMA_VERSION,
    Action,
    Area,
    Engagement,
    Note,
    NoteKind,
    Objective,
    Owner,
    Role,
    SessionKind,
    Visibility,
)
from aoi_tui.domain.text import clean
from aoi_tui.secure import durable
from aoi_tui.secure.crypto import new_key
from aoi_tui.secure.durable import StoreWriteError
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.secure.storage import MAGIC, StoreFileError, decrypt_file, encode
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import INDEX, INDEX_ID, KEYS, NoSuchEngagement, Store, StoreError, backups

COACHEE = "Zoé Marchand"
SPONSOR = "Bruno Lefèvre"
ID_RE = re.compile(r"^[0-9a-z]{12}$")


# -- helpers shared with the other store tests ----------------------------------------


def reopen(store: Store) -> Store:
    """What a new `aoi` process sees: a new Store, an empty cache."""
    return Store(store.root, KeyFile.load(store.root / KEYS), store.master)


def new_engagement(store: Store, coachee: str = COACHEE, sessions: int = 1) -> EngagementFile:
    ef = store.create_engagement(
        Engagement(coachee=coachee, sponsor=SPONSOR, coach="Claire Petit", organisation="ACME")
    )
    for _ in range(sessions):
        ef.new_session(SessionKind.AOI)
    return ef


def note_texts(store: Store, engagement_id: str) -> list[str]:
    return [n.text for n in reopen(store).engagement(engagement_id).notes()]


def eng_path(store: Store, engagement_id: str) -> Path:
    return store.root / "engagements" / f"{engagement_id}.db"


class FailingOs:
    """`os` as aoi_tui.secure.durable sees it, with one function failing with `err`."""

    def __init__(self, name: str, err: int) -> None:
        self.name = name
        self.err = err
        self.calls = 0

    def __getattr__(self, attr: str) -> Any:
        if attr != self.name:
            return getattr(os, attr)

        def fail(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            raise OSError(self.err, os.strerror(self.err))

        return fail


# -- round trip -------------------------------------------------------------------------


def test_everything_saved_is_read_back_by_a_new_process(store: Store) -> None:
    ef = new_engagement(store, sessions=0)
    kickoff = ef.new_session(SessionKind.KICKOFF)
    first = ef.new_session(SessionKind.AOI)
    objective = Objective(
        statement="Tenir les réunions d'équipe en 30 min", area=Area.DEADLINES, indicator="durée"
    )
    ef.insert(objective)
    private = ef.add_note(first.number, "Il coupe la parole deux fois", role=Role.MIRROR)
    shared = ef.add_note(
        first.number,
        "A délégué le planning",
        phase="field",
        kind=NoteKind.SUCCESS,
        visibility=Visibility.SHAREABLE,
    )
    shared.validate_by_coachee()
    ef.update(shared)
    action = Action(
        session=first.number,
        text="Préparer l'ordre du jour",
        owner=Owner.COACHEE,
        due=date(2026, 12, 1),
        visibility=Visibility.SHAREABLE,
    )
    ef.insert(action)

    again = reopen(store)
    ef2 = again.engagement(ef.id)
    eng = ef2.engagement()
    assert (eng.coachee, eng.sponsor, eng.coach, eng.organisation) == (
        COACHEE,
        SPONSOR,
        "Claire Petit",
        "ACME",
    )
    assert [(s.number, s.kind) for s in ef2.sessions()] == [
        (kickoff.number, SessionKind.KICKOFF),
        (first.number, SessionKind.AOI),
    ]
    assert ef2.session(first.number).phase_ids == ["review", "field", "debrief", "handover"]
    assert ef2.objectives() == [objective]
    notes = {n.id: n for n in ef2.notes()}
    assert notes == {private.id: private, shared.id: shared}
    assert notes[shared.id].shared and not notes[private.id].shared
    assert ef2.actions() == [action]
    assert [(s.id, s.coachee, s.sessions_held) for s in again.list_engagements()] == [
        (ef.id, COACHEE, 1)
    ]


def test_edits_and_deletions_survive_reopening(store: Store) -> None:
    ef = new_engagement(store)
    keep = ef.add_note(1, "premier jet", visibility=Visibility.SHAREABLE)
    keep.validate_by_coachee()
    ef.update(keep)
    gone = ef.add_note(1, "à effacer")
    keep.edit("texte corrigé")
    ef.update(keep)
    ef.delete(Note, gone.id)

    notes = reopen(store).engagement(ef.id).notes()
    assert [n.text for n in notes] == ["texte corrigé"]
    assert not notes[0].validated  # an edit after validation clears it, on disk too


def test_engagement_changes_reach_the_index(store: Store) -> None:
    ef = new_engagement(store)
    eng = ef.engagement()
    eng.coachee = "Zoé Marchand-Roux"
    eng.planned_sessions = 6
    ef.save_engagement(eng)
    [summary] = reopen(store).list_engagements()
    assert (summary.coachee, summary.planned_sessions) == ("Zoé Marchand-Roux", 6)


def test_creating_an_engagement_twice_never_replaces_its_key(store: Store) -> None:
    ef = new_engagement(store)
    ef.add_note(1, "à garder")
    with pytest.raises(StoreError, match="already exists"):
        store.create_engagement(ef.engagement())  # e.g. a script run twice
    assert note_texts(store, ef.id) == ["à garder"]
    assert len(reopen(store).list_engagements()) == 1


def test_unknown_engagement_is_a_clear_error(store: Store) -> None:
    with pytest.raises(NoSuchEngagement, match="no engagement"):
        store.engagement("nosuchid0000")


_nasty = st.sampled_from(
    ["\x00", "\x1b[31m", "\x1b]0;title\x07", "\r\n", "\r", "\x7f", "\x9b", "\u2028", "\t", "\n"]
)
_note_text = st.lists(st.one_of(st.text(min_size=1), _nasty), min_size=1, max_size=8).map("".join)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=_note_text)
def test_any_note_text_round_trips_cleaned(store: Store, text: str) -> None:
    assume(clean(text).strip())
    ef = store.engagement(_the_engagement(store))
    note = ef.add_note(1, text)
    assert note.text == clean(text)
    stored = reopen(store).engagement(ef.id).get(Note, note.id)
    assert stored.text == clean(text)


def _the_engagement(store: Store) -> str:
    listed = store.list_engagements()
    return listed[0].id if listed else new_engagement(store).id


# -- files --------------------------------------------------------------------------------


def test_files_are_named_by_random_ids_and_private(store: Store) -> None:
    a = new_engagement(store)
    b = new_engagement(store)  # the same coachee twice: two files, two ids
    a.add_note(1, f"{COACHEE} a réussi")
    reopen(store).engagement(a.id).add_note(1, "encore")  # a second process: backups

    root = store.root
    assert a.id != b.id and ID_RE.match(a.id) and ID_RE.match(b.id)
    assert sorted(p.name for p in (root / "engagements").iterdir()) == sorted(
        [f"{a.id}.db", f"{b.id}.db"]
    )
    assert (root / INDEX).is_file() and (root / KEYS).is_file()
    assert (root / "backups" / f"{a.id}.db").is_dir()

    names = [COACHEE, "Zoé", "Marchand", SPONSOR, "Lefèvre", "Claire"]
    folders = [root, *(p for p in root.rglob("*") if p.is_dir())]
    files = [p for p in root.rglob("*") if p.is_file()]
    for folder in folders:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
        rel = str(file.relative_to(root)).casefold()
        blob = file.read_bytes()
        for name in names:
            assert name.casefold() not in rel
            assert name.encode() not in blob, file


def test_a_note_rewrites_only_its_own_engagement_file(store: Store) -> None:
    a = new_engagement(store)
    b = new_engagement(store, coachee="Yann Le Goff")
    a.add_note(1, "first")  # backups of this process are made
    untouched = [eng_path(store, b.id), store.root / INDEX, store.root / KEYS]
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in untouched}
    a.add_note(1, "second")
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in untouched} == before


# -- full disk, read-only folder ------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "err", "message"),
    [
        ("write", errno.ENOSPC, "the disk is full"),
        ("fsync", errno.ENOSPC, "the disk is full"),
        ("replace", errno.ENOSPC, "the disk is full"),
        ("write", errno.EDQUOT, "disk quota exceeded"),
        ("open", errno.EROFS, "read-only"),
        ("open", errno.EACCES, "read-only"),
    ],
)
def test_a_failed_write_changes_nothing_and_a_later_one_works(
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    function: str,
    err: int,
    message: str,
) -> None:
    ef = new_engagement(store)
    ef.add_note(1, "saved before")
    path = eng_path(store, ef.id)
    before = path.read_bytes()

    failing = FailingOs(function, err)
    with monkeypatch.context() as m:
        m.setattr(durable, "os", failing)
        with pytest.raises(StoreWriteError) as caught:
            ef.add_note(1, "typed while the disk was full")
        assert failing.calls
        # Still readable, and without the unsaved note, in this process and a new one.
        assert [n.text for n in ef.notes()] == ["saved before"]
    assert caught.value.errno == err
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".*.tmp"))
    assert note_texts(store, ef.id) == ["saved before"]

    ef.add_note(1, "saved after")  # the disk has room again: the same object saves
    assert note_texts(store, ef.id) == ["saved before", "saved after"]


def test_full_disk_while_taking_the_backup_changes_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ef = new_engagement(store)
    ef.add_note(1, "saved before")
    path = eng_path(store, ef.id)
    before = path.read_bytes()
    fresh = reopen(store).engagement(ef.id)  # a new process: its first write backs up
    with monkeypatch.context() as m:
        m.setattr(durable, "os", FailingOs("write", errno.ENOSPC))
        with pytest.raises(StoreWriteError, match="the disk is full"):
            fresh.add_note(1, "lost?")
    assert path.read_bytes() == before
    fresh.add_note(1, "saved after")
    assert note_texts(store, ef.id) == ["saved before", "saved after"]


def test_full_disk_when_creating_an_engagement_leaves_the_store_usable(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = new_engagement(store)
    with monkeypatch.context() as m:
        m.setattr(durable, "os", FailingOs("write", errno.ENOSPC))
        with pytest.raises(StoreWriteError, match="the disk is full"):
            new_engagement(store, coachee="Yann Le Goff")
    again = reopen(store)
    assert [s.id for s in again.list_engagements()] == [existing.id]
    again.engagement(existing.id).add_note(1, "still fine")
    assert note_texts(store, existing.id) == ["still fine"]


# -- corrupt or foreign files ------------------------------------------------------------------


def test_garbage_in_an_engagement_file_is_named_and_never_overwritten(store: Store) -> None:
    ef = new_engagement(store)
    ef.add_note(1, "avant")
    path = eng_path(store, ef.id)
    garbage = b"\x00\xffnot an aoi file at all" * 10
    path.write_bytes(garbage)

    fresh = reopen(store).engagement(ef.id)
    with pytest.raises(StoreFileError) as caught:
        fresh.notes()
    assert caught.value.path == path
    assert str(path) in str(caught.value) and "not an aoi file" in str(caught.value)
    with pytest.raises(StoreFileError):
        fresh.add_note(1, "après")
    with pytest.raises(StoreFileError):
        ef.add_note(1, "après")  # the process that had it cached re-reads the changed file
    assert path.read_bytes() == garbage


def test_a_truncated_file_is_an_error_not_an_empty_engagement(store: Store) -> None:
    ef = new_engagement(store)
    ef.add_note(1, "avant")
    path = eng_path(store, ef.id)
    blob = path.read_bytes()
    path.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(StoreFileError, match="corrupt"):
        reopen(store).engagement(ef.id).notes()
    assert path.read_bytes() == blob[: len(blob) // 2]


def test_a_file_swapped_in_from_elsewhere_is_refused(store: Store) -> None:
    a = new_engagement(store)
    b = new_engagement(store, coachee="Yann Le Goff")
    a.add_note(1, "note de A")
    path_a, path_b = eng_path(store, a.id), eng_path(store, b.id)
    data = decrypt_file(path_a, store.engagement_key(a.id), a.id)

    candidates = {
        "another engagement's file": path_b.read_bytes(),
        "another store's file": encode(data, new_key(), a.id),
        "right key, another file id": encode(data, store.engagement_key(a.id), b.id),
    }
    for what, blob in candidates.items():
        path_a.write_bytes(blob)
        with pytest.raises(StoreFileError, match="another key") as caught:
            reopen(store).engagement(a.id).notes()
        assert caught.value.path == path_a, what
        assert path_a.read_bytes() == blob, what

    (store.root / INDEX).write_bytes(path_b.read_bytes())
    with pytest.raises(StoreFileError, match="another key"):
        reopen(store).list_engagements()
    assert path_a.read_bytes().startswith(MAGIC)


# -- backups and erasure ------------------------------------------------------------------------


def test_backups_rotate_and_stay_decryptable(store: Store) -> None:
    ef = new_engagement(store)
    path = eng_path(store, ef.id)
    for i in range(backups.KEEP + 3):  # each new process backs the file up before writing
        reopen(store).engagement(ef.id).add_note(1, f"note {i}")
    kept = store.backups.newest_first(path)
    assert len(kept) == backups.KEEP
    key = store.engagement_key(ef.id)
    counts = [len(decrypt_file(b, key, ef.id).get("notes", {})) for b in kept]
    assert counts == sorted(counts, reverse=True)  # the newest backups were kept
    assert counts[0] == backups.KEEP + 2  # the state just before the last note

    for _ in range(backups.KEEP_KEYS + 2):
        new_engagement(store, coachee="Yann Le Goff", sessions=0)
    assert len(store.backups.newest_first(store.root / KEYS)) == backups.KEEP_KEYS


def test_erase_removes_every_copy_and_every_key(store: Store) -> None:
    gone = new_engagement(store)
    kept = new_engagement(store, coachee="Yann Le Goff")
    for i in range(3):  # several processes: several backups of each file
        s = reopen(store)
        s.engagement(gone.id).add_note(1, f"secret {i}")
        s.engagement(kept.id).add_note(1, f"kept {i}")
        s.refresh_summary(gone.id)
    path = eng_path(store, gone.id)
    assert store.backups.newest_first(path)
    key_backups = store.backups.newest_first(store.root / KEYS)
    assert any(gone.id in json.loads(b.read_bytes())["engagements"] for b in key_backups)

    removed = reopen(store).erase(gone.id)

    assert path in removed and not path.exists()
    assert not (store.root / "backups" / path.name).exists()
    again = reopen(store)
    assert [s.id for s in again.list_engagements()] == [kept.id]
    with pytest.raises(NoSuchEngagement):
        again.engagement(gone.id)
    raw = json.loads((store.root / KEYS).read_bytes())
    assert gone.id not in raw["engagements"] and kept.id in raw["engagements"]
    key_backups = store.backups.newest_first(store.root / KEYS)
    assert key_backups
    for backup in key_backups:
        assert gone.id not in json.loads(backup.read_bytes())["engagements"], backup
    # The index's backups held the coachee's name and the sponsor's: gone too.
    index_backups = store.backups.newest_first(store.root / INDEX)
    assert index_backups
    for backup in index_backups:
        rows = decrypt_file(backup, store.master, INDEX_ID).get("engagements", {}).values()
        assert gone.id not in {r["id"] for r in rows}, backup
    # Nothing on disk carries the erased id in its name but its (empty) lock file.
    leftovers = [p for p in store.root.rglob(f"*{gone.id}*") if p.parent.name != "locks"]
    assert leftovers == []
    assert note_texts(store, kept.id) == ["kept 0", "kept 1", "kept 2"]


def test_erase_goes_through_damaged_backups_and_leftovers(store: Store) -> None:
    gone = new_engagement(store)
    kept = new_engagement(store, coachee="Yann Le Goff")
    reopen(store).engagement(gone.id).add_note(1, "secret")  # a backup of its file
    reopen(store).refresh_summary(gone.id)  # a backup of the index listing it
    path = eng_path(store, gone.id)
    # A killed backup left a partial copy; a key file backup and an index
    # backup were damaged (truncated: the key and the names are still inside).
    backup_folder = store.root / "backups" / path.name
    (backup_folder / ".20260101T000000000000Z.bak.abcdefgh.tmp").write_bytes(b"partial")
    path.with_name(f".{path.name}.abcdefgh.tmp").write_bytes(b"partial")
    newest_keys = store.backups.newest_first(store.root / KEYS)[0]
    raw = newest_keys.read_bytes()
    assert gone.id.encode() in raw
    newest_keys.write_bytes(raw[: raw.index(gone.id.encode()) + 60])
    newest_index = store.backups.newest_first(store.root / INDEX)[0]
    newest_index.write_bytes(newest_index.read_bytes()[:-20])

    reopen(store).erase(gone.id)

    assert not backup_folder.exists()
    assert [p for p in store.root.rglob(f"*{gone.id}*") if p.parent.name != "locks"] == []
    for backup in store.backups.newest_first(store.root / KEYS):
        assert gone.id.encode() not in backup.read_bytes()
    assert newest_index not in store.backups.newest_first(store.root / INDEX)
    assert [s.id for s in reopen(store).list_engagements()] == [kept.id]


# -- schema versions --------------------------------------------------------------------------


def _rewrite_notes(ef: EngagementFile, change: Callable[[dict[str, Any]], None]) -> None:
    data = decrypt_file(ef.path, ef.storage.key, ef.id)
    for doc in data["notes"].values():
        change(doc)
    ef.storage.flush(data)


def test_a_record_without_a_version_loads_as_the_current_schema(store: Store) -> None:
    ef = new_engagement(store)
    ef.add_note(1, "écrite avant les versions")
    _rewrite_notes(ef, lambda doc: doc.pop("v"))

    ef2 = reopen(store).engagement(ef.id)
    [note] = ef2.notes()
    assert (note.text, note.v) == ("écrite avant les versions", SCHEMA_VERSION)
    note.edit("réécrite")
    ef2.update(note)  # saved back in the current shape
    data = decrypt_file(ef.path, ef.storage.key, ef.id)
    assert [d["v"] for d in data["notes"].values()] == [SCHEMA_VERSION]


def test_a_record_from_a_newer_aoi_is_a_clear_error(store: Store) -> None:
    ef = new_engagement(store)
    ef.add_note(1, "écrite par un aoi plus récent")
    _rewrite_notes(ef, lambda doc: doc.update(v=99))
    blob = ef.path.read_bytes()

    with pytest.raises(StoreFileError) as caught:
        reopen(store).engagement(ef.id).notes()
    message = str(caught.value)
    assert caught.value.path == ef.path
    assert "schema version 99" in message and "upgrade aoi" in message
    assert ef.path.read_bytes() == blob


def test_an_engagement_file_of_another_format_version_is_not_guessed(store: Store) -> None:
    ef = new_engagement(store)
    blob = ef.path.read_bytes()
    ef.path.write_bytes(b"AOIDB\x02\n" + blob[len(MAGIC) :])
    with pytest.raises(StoreFileError, match="not an aoi file"):
        reopen(store).engagement(ef.id).engagement()
