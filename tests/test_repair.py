"""Repairs and missing files lose nothing (issue 11, section 4).

- `aoi doctor --repair` right after writes keeps every acknowledged write: it
  restores the copy of the state after the last write, not a backup taken
  before it (seen: three notes became two, reported "repaired"); when only an
  older backup is left, it says what the restored copy lacks.
- A data folder that holds engagement files but no key file is refused by every
  command, pointing to `aoi doctor`, which restores the key file from its
  backups; no command ever creates a new master key over existing engagements."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aoi_tui import cli
from aoi_tui.access.opening import create_store
from aoi_tui.domain.models import SessionKind
from aoi_tui.live.live_session import Draft, LiveSession
from aoi_tui.secure.durable import StoreWriteError
from aoi_tui.secure.storage import StoreFileError
from aoi_tui.store.doctor import run_doctor
from aoi_tui.store.store import INDEX, KEYS, KeyFileMissing, Store, backups, store_exists
from tests.cli_support import aoi, cli_error
from tests.support import PASSPHRASE
from tests.test_doctor import GARBAGE, doctor
from tests.test_store import eng_path, new_engagement, note_texts, reopen

N = 5


def _damage(path: Path, how: str, store: Store) -> None:
    if how == "garbage":
        path.write_bytes(GARBAGE)
    elif how == "truncated":
        path.write_bytes(path.read_bytes()[:-30])
    elif how == "deleted":
        path.unlink()
    else:  # another engagement's file in its place
        other = new_engagement(store, coachee="Yann Le Goff")
        path.write_bytes(eng_path(store, other.id).read_bytes())


# -- a repair right after writes ------------------------------------------------------------------


@pytest.mark.parametrize("how", ["garbage", "truncated", "deleted", "swapped"])
@pytest.mark.parametrize("processes", ["one process", "a process per note"])
def test_a_repair_right_after_writes_keeps_every_acknowledged_note(
    store: Store, how: str, processes: str
) -> None:
    ef = new_engagement(store)
    written = [f"note {i}" for i in range(N)]
    for text in written:
        (reopen(store).engagement(ef.id) if processes != "one process" else ef).add_note(1, text)
    path = eng_path(store, ef.id)
    _damage(path, how, store)

    report = doctor(store, repair=True)
    assert report.healthy, report.human()
    [finding] = [f for f in report.findings if f.path == path]
    assert "nothing lost" in finding.repaired, finding.repaired
    assert note_texts(store, ef.id) == written
    assert doctor(store).findings == []


def test_the_cli_case_seen_three_notes_stay_three(cli_env: dict[str, str]) -> None:
    """As seen: three `aoi note add`, the file damaged, `aoi doctor --repair`."""
    root = Path(cli_env["AOI_DATA_DIR"])
    eid = aoi(cli_env, "engagement", "new", "--coachee", "Zoé", "--sponsor", "Bruno").stdout
    eid = eid.strip()
    assert aoi(cli_env, "session", "new", eid).returncode == 0
    for text in ("une", "deux", "trois"):
        assert aoi(cli_env, "note", "add", eid, "--session", "1", text).returncode == 0
    (root / "engagements" / f"{eid}.db").write_bytes(GARBAGE)

    repaired = aoi(cli_env, "doctor", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "nothing lost" in repaired.stdout
    listed = json.loads(aoi(cli_env, "note", "list", eid, "--json").stdout)
    assert [n["text"] for n in listed] == ["une", "deux", "trois"]


def test_with_only_an_older_backup_the_repair_says_what_is_missing(store: Store) -> None:
    ef = new_engagement(store)
    for i in range(3):
        reopen(store).engagement(ef.id).add_note(1, f"note {i}")
    path = eng_path(store, ef.id)
    store.backups.latest(path).write_bytes(GARBAGE)  # the copy of the last write damaged too
    path.write_bytes(GARBAGE)

    report = doctor(store, repair=True)
    [finding] = report.findings
    assert finding.repaired.startswith("restored from backup 20")
    assert "is missing" in finding.repaired and "saved after it" in finding.repaired
    assert "is missing" in report.human()
    assert note_texts(store, ef.id) == ["note 0", "note 1"]


def test_a_copy_that_cannot_be_written_is_never_taken_for_the_newest(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk when copying the state just saved: the save stands, and the
    older copy goes, so a later repair says what it lacks instead of "nothing lost"."""
    ef = new_engagement(store)
    ef.add_note(1, "une")
    path = eng_path(store, ef.id)
    assert store.backups.latest(path).exists()

    def full(target: Path, data: bytes) -> None:
        raise StoreWriteError(target, OSError(28, "No space left on device"))

    with monkeypatch.context() as m:
        m.setattr(backups, "write_atomic", full)
        ef.add_note(1, "deux")  # saved: no error
    assert note_texts(store, ef.id) == ["une", "deux"]
    assert not store.backups.latest(path).exists()

    path.write_bytes(GARBAGE)
    report = doctor(store, repair=True)
    assert "is missing" in report.findings[0].repaired
    assert "nothing lost" not in report.human()


def test_a_write_into_a_missing_engagement_file_is_refused(store: Store) -> None:
    """Written into a missing file, a note started a new file holding that note
    alone, and its copy replaced the copy of everything before."""
    ef = new_engagement(store)
    for i in range(3):
        ef.add_note(1, f"note {i}")
    path = eng_path(store, ef.id)
    path.unlink()
    with pytest.raises(StoreFileError, match="missing"):
        ef.add_note(1, "typed after the file went")
    with pytest.raises(StoreFileError, match="missing"):
        reopen(store).engagement(ef.id).add_note(1, "and in another aoi")
    assert not path.exists()
    assert doctor(store, repair=True).healthy
    assert note_texts(store, ef.id) == ["note 0", "note 1", "note 2"]


def test_an_engagement_erased_by_another_aoi_is_not_written_back(store: Store) -> None:
    ef = new_engagement(store)
    ef.add_note(1, "before")
    live = LiveSession(ef, 1)
    live.take()
    reopen(store).erase(ef.id)
    with pytest.raises(StoreFileError, match="missing"):
        ef.add_note(1, "typed in the window left open")
    with pytest.raises(StoreFileError, match="missing"):
        ef.new_session(SessionKind.AOI)
    with pytest.raises(StoreFileError, match="missing"):
        live.save_draft(Draft(session=1, phase="review", text="typed on"))
    # (the refused writes took the engagement's lock: an empty file, no data)
    assert [p for p in store.root.rglob("*") if ef.id in p.name and "locks" not in p.parts] == []


# -- a missing key file ---------------------------------------------------------------------------


@pytest.fixture
def keyless(store: Store) -> Iterator[tuple[Store, str]]:
    """A store with one engagement (a session, a note) whose keys.json is gone."""
    ef = new_engagement(store)
    ef.add_note(1, "une note")
    (store.root / KEYS).unlink()
    yield store, ef.id


def _files(root: Path) -> dict[Path, bytes]:
    return {
        p: p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.parent.name != "locks"
    }


def _commands(eid: str, tmp_path: Path) -> list[list[str]]:
    return [
        ["engagement", "list"],
        ["engagement", "new", "--coachee", "Nouvelle", "--sponsor", "N+1"],
        ["engagement", "close", eid],
        ["engagement", "consent", eid, "--date", "2026-01-05"],
        ["session", "new", eid],
        ["note", "add", eid, "--session", "1", "lost?"],
        ["note", "list", eid],
        ["export", eid, "--shared", "-o", str(tmp_path / "report.md")],
        ["search", "note"],
        ["demo"],
        ["erase", eid, "--yes"],
        ["passphrase"],
        ["passphrase", "--recover"],
        ["keyring", "remember"],
        ["keyring", "forget"],
        ["serve"],
        [],  # the TUI
    ]


def test_every_command_refuses_a_store_without_its_key_file(
    keyless: tuple[Store, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, eid = keyless
    before = _files(store.root)
    monkeypatch.setenv("AOI_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("AOI_NEW_PASSPHRASE", "a brand new passphrase")
    monkeypatch.setenv("AOI_RECOVERY_CODE", "00000-00000-00000-00000-00000-00000")
    # As in a terminal, so the TUI gets as far as it would there; nothing may start.
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    import aoi_tui.screens.app as app  # type: ignore[import-not-found,unused-ignore]

    def started(*args: object, **kwargs: object) -> None:
        raise AssertionError("started over a store without its key file")

    monkeypatch.setattr(app, "run_app", started)
    monkeypatch.setattr("aoi_tui.screens.web.serve", started)
    for argv in _commands(eid, tmp_path):
        with pytest.raises(SystemExit) as exited:
            cli.main(["--data-dir", str(store.root), *argv])
        assert exited.value.code == 1, argv
        out, err = capsys.readouterr()
        lines = err.strip().splitlines()
        assert len(lines) == 1, (argv, err)
        assert "key file is missing" in lines[0] and "aoi doctor --repair" in lines[0], argv
        assert "Traceback" not in err and out == "", argv
        assert _files(store.root) == before, argv  # nothing created, nothing changed
    assert not (tmp_path / "report.md").exists()


def test_a_real_process_refuses_it_in_one_line(
    keyless: tuple[Store, str], cli_env: dict[str, str]
) -> None:
    store, _ = keyless
    for argv in (["engagement", "list"], ["engagement", "new", "--coachee", "X", "--sponsor", "Y"]):
        line = cli_error(aoi(cli_env, *argv))
        assert line.startswith("aoi: the key file is missing"), line
        assert "aoi doctor --repair" in line
    assert not (store.root / KEYS).exists()


def test_no_new_key_is_ever_created_over_engagement_files(keyless: tuple[Store, str]) -> None:
    store, _ = keyless
    with pytest.raises(KeyFileMissing):
        store_exists(store.root)
    with pytest.raises(KeyFileMissing):
        create_store(store.root, PASSPHRASE)
    with pytest.raises(KeyFileMissing):
        Store.create(store.root, PASSPHRASE, "00000-00000-00000-00000-00000-00000")
    assert not (store.root / KEYS).exists()


@pytest.mark.parametrize("left", ["engagement files", "the index", "key-file backups"])
def test_any_part_of_a_store_is_enough_to_refuse(store: Store, left: str) -> None:
    new_engagement(store)
    root = store.root
    (root / KEYS).unlink()
    if left != "engagement files":
        shutil.rmtree(root / "engagements")
    if left != "the index":
        (root / INDEX).unlink()
    if left != "key-file backups":
        shutil.rmtree(root / "backups" / KEYS)
    with pytest.raises(KeyFileMissing):
        store_exists(root)


def test_an_empty_folder_or_empty_subfolders_still_make_a_new_store(tmp_path: Path) -> None:
    root = tmp_path / "fresh"
    for sub in ("engagements", "backups", "locks", "drafts"):
        (root / sub).mkdir(parents=True)  # a creation cut short before its key file
    assert not store_exists(root)


def test_doctor_restores_the_key_file_and_every_command_works_again(
    keyless: tuple[Store, str], cli_env: dict[str, str]
) -> None:
    store, eid = keyless
    looked = aoi(cli_env, "doctor")
    assert looked.returncode == 1
    assert f"{store.root / KEYS}: missing" in looked.stdout
    assert "--repair" in looked.stdout
    assert not (store.root / KEYS).exists()

    repaired = aoi(cli_env, "doctor", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "nothing lost" in repaired.stdout
    listed = json.loads(aoi(cli_env, "engagement", "list", "--json").stdout)
    assert [e["id"] for e in listed] == [eid]
    assert note_texts(store, eid) == ["une note"]


def test_without_any_backup_of_the_key_file_doctor_says_so_and_creates_nothing(
    keyless: tuple[Store, str],
) -> None:
    store, _ = keyless
    shutil.rmtree(store.root / "backups" / KEYS)
    before = _files(store.root)
    report = run_doctor(store.root, lambda: reopen(store), repair=True)
    assert not report.healthy
    [finding] = report.findings
    assert finding.problem.startswith("missing; no good backup")
    assert not (store.root / KEYS).exists()
    assert _files(store.root) == before
    with pytest.raises(KeyFileMissing):
        store_exists(store.root)


def test_a_key_file_restored_without_a_newer_engagement_says_so(store: Store) -> None:
    """The key file is backed up after every change, unless that copy failed (a
    full disk): restored from the copy before, the newest engagement has no key."""
    new_engagement(store)
    newer = new_engagement(store, coachee="Yann Le Goff")
    store.backups.newest_first(store.root / KEYS)[0].unlink()  # its backup never written
    (store.root / KEYS).unlink()

    report = run_doctor(store.root, lambda: reopen(store), repair=True)
    keys = next(f for f in report.findings if f.path == store.root / KEYS)
    assert "1 engagement file(s) have no key in it and cannot be opened" in keys.repaired
    assert "nothing lost" not in report.human()
    assert any(
        f.path == eng_path(store, newer.id) and "no key" in f.problem for f in report.findings
    )
