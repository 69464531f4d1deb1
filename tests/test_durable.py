"""Durable writes on each platform. Linux runs for real; macOS and Windows are
simulated here (`sys.platform`, and the `os` and `fcntl` that
aoi_tui.secure.durable sees, monkeypatched), so every branch runs on this
machine. That the bytes survive a killed writer is tested on Linux only
(tests/test_store_crash.py); nothing here proves a disk kept them."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from aoi_tui.live.live_session import Draft, LiveSession
from aoi_tui.secure import durable
from aoi_tui.secure.durable import StoreWriteError, Sync, write_atomic
from aoi_tui.store.store import INDEX, KEYS, Store
from tests.test_store import new_engagement

O_BINARY = 0x8000  # Windows' value
F_FULLFSYNC = 51  # macOS's value


class SpyOs:
    """`os` as durable sees it: records what is opened (path, flags) and which
    files are fsynced; `without` names attributes this platform lacks, `binary`
    adds Windows' O_BINARY (the real `open` never sees it)."""

    def __init__(self, *, without: tuple[str, ...] = (), binary: bool = False) -> None:
        self.without = set(without)
        self.binary = binary
        self.paths: dict[int, Path] = {}
        self.opened: list[tuple[Path, int]] = []
        self.fsynced: list[Path] = []
        self.replace_errors: list[OSError] = []

    def __getattr__(self, name: str) -> Any:
        if name in self.without:
            raise AttributeError(f"module 'os' has no attribute {name!r}")
        if name == "O_BINARY" and self.binary:
            return O_BINARY
        return getattr(os, name)

    def open(self, path: Path, flags: int, mode: int = 0o777) -> int:
        if "O_DIRECTORY" in self.without and Path(path).is_dir():
            raise PermissionError(errno.EACCES, "Permission denied", str(path))  # as Windows
        fd = os.open(path, flags & ~O_BINARY, mode)
        self.paths[fd] = Path(path)
        self.opened.append((Path(path), flags))
        return fd

    def fsync(self, fd: int) -> None:
        self.fsynced.append(self.paths[fd])
        os.fsync(fd)

    def replace(self, src: Path, dst: Path) -> None:
        if self.replace_errors:
            raise self.replace_errors.pop(0)
        os.replace(src, dst)


class FakeFcntl:
    """macOS's `fcntl` as far as durable uses it: F_FULLFSYNC, recorded (or refused
    with `refuse`, as some network volumes do)."""

    F_FULLFSYNC = F_FULLFSYNC

    def __init__(self, spy: SpyOs, refuse: int | None = None) -> None:
        self.spy = spy
        self.refuse = refuse
        self.full: list[Path] = []

    def fcntl(self, fd: int, cmd: int, arg: int = 0) -> int:
        assert cmd == F_FULLFSYNC
        if self.refuse is not None:
            raise OSError(self.refuse, os.strerror(self.refuse))
        self.full.append(self.spy.paths[fd])
        os.fsync(fd)
        return 0


def kinds(paths: list[Path]) -> list[str]:
    """`file` for the temporary file written, `folder` for its folder."""
    return ["folder" if p.is_dir() else "file" for p in paths]


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> SpyOs:
    spy = SpyOs()
    monkeypatch.setattr(durable, "os", spy)
    return spy


def play(monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    monkeypatch.setattr(sys, "platform", platform)


# -- Linux (this machine) ------------------------------------------------------------------


@pytest.mark.parametrize("sync", list(Sync))
def test_linux_fsyncs_the_file_then_its_folder(
    tmp_path: Path, spy: SpyOs, monkeypatch: pytest.MonkeyPatch, sync: Sync
) -> None:
    play(monkeypatch, "linux")
    target = tmp_path / "f.db"
    write_atomic(target, b"a\nb", sync=sync)
    assert target.read_bytes() == b"a\nb"
    assert kinds(spy.fsynced) == ["file", "folder"]
    assert spy.fsynced[1] == tmp_path


# -- macOS, simulated ----------------------------------------------------------------------


def test_macos_full_sync_reaches_the_disk_for_the_file_and_its_folder(
    tmp_path: Path, spy: SpyOs, monkeypatch: pytest.MonkeyPatch
) -> None:
    play(monkeypatch, "darwin")
    fcntl = FakeFcntl(spy)
    monkeypatch.setattr(durable, "fcntl", fcntl)
    target = tmp_path / "f.db"
    write_atomic(target, b"data")  # Sync.FULL unless said otherwise
    assert target.read_bytes() == b"data"
    assert kinds(fcntl.full) == ["file", "folder"]
    assert spy.fsynced == []  # fsync alone would stop in the drive's cache


def test_macos_plain_sync_is_fsync(
    tmp_path: Path, spy: SpyOs, monkeypatch: pytest.MonkeyPatch
) -> None:
    play(monkeypatch, "darwin")
    fcntl = FakeFcntl(spy)
    monkeypatch.setattr(durable, "fcntl", fcntl)
    write_atomic(tmp_path / "f.draft", b"data", sync=Sync.PLAIN)
    assert fcntl.full == []
    assert kinds(spy.fsynced) == ["file", "folder"]


def test_macos_volume_refusing_full_sync_gets_fsync(
    tmp_path: Path, spy: SpyOs, monkeypatch: pytest.MonkeyPatch
) -> None:
    play(monkeypatch, "darwin")
    monkeypatch.setattr(durable, "fcntl", FakeFcntl(spy, refuse=errno.ENOTSUP))
    target = tmp_path / "f.db"
    write_atomic(target, b"data")
    assert target.read_bytes() == b"data"
    assert kinds(spy.fsynced) == ["file", "folder"]


# -- Windows, simulated --------------------------------------------------------------------


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> SpyOs:
    """No O_DIRECTORY, a folder cannot be opened, O_BINARY exists."""
    play(monkeypatch, "win32")
    spy = SpyOs(without=("O_DIRECTORY",), binary=True)
    monkeypatch.setattr(durable, "os", spy)
    return spy


@pytest.mark.parametrize("sync", list(Sync))
def test_windows_writes_in_binary_without_opening_the_folder(
    tmp_path: Path, windows: SpyOs, sync: Sync
) -> None:
    target = tmp_path / "f.db"
    write_atomic(target, b"\x00\n\r\n\x1a", sync=sync)
    assert target.read_bytes() == b"\x00\n\r\n\x1a"
    [(opened, flags)] = windows.opened  # the temporary file, never the folder
    assert opened.parent == tmp_path and flags & O_BINARY
    assert kinds(windows.fsynced) == ["file"]  # FlushFileBuffers: to the disk


def test_windows_rename_held_up_by_another_program_is_tried_again(
    tmp_path: Path, windows: SpyOs, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(durable.time, "sleep", waits.append)
    target = tmp_path / "f.db"
    target.write_bytes(b"old")
    windows.replace_errors = [PermissionError(errno.EACCES, "in use")] * 2
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert len(waits) == 2


def test_windows_rename_held_up_for_good_fails_cleanly(
    tmp_path: Path, windows: SpyOs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(durable.time, "sleep", lambda s: None)
    target = tmp_path / "f.db"
    target.write_bytes(b"old")
    tries = len(durable.RENAME_RETRIES_S) + 1
    windows.replace_errors = [PermissionError(errno.EACCES, "in use")] * tries
    with pytest.raises(StoreWriteError, match="read-only or not ours"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.db"]


def test_elsewhere_a_refused_rename_is_not_tried_again(
    tmp_path: Path, spy: SpyOs, monkeypatch: pytest.MonkeyPatch
) -> None:
    play(monkeypatch, "linux")
    monkeypatch.setattr(durable.time, "sleep", pytest.fail)
    spy.replace_errors = [PermissionError(errno.EACCES, "read-only")]
    with pytest.raises(StoreWriteError):
        write_atomic(tmp_path / "f.db", b"new")


# -- the store: each file as far as it must go -------------------------------------------------


def test_the_store_fully_syncs_what_it_keeps_and_only_fsyncs_the_draft(
    store: Store, spy: SpyOs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On macOS: engagement files, the index, the key file and their copies reach
    the disk (F_FULLFSYNC); the draft, saved on every key, and the lease are
    fsynced only."""
    play(monkeypatch, "darwin")
    fcntl = FakeFcntl(spy)
    monkeypatch.setattr(durable, "fcntl", fcntl)
    ef = new_engagement(store)
    ef.add_note(1, "une note")
    live = LiveSession(ef, 1)
    live.take()
    live.save_draft(Draft(session=1, phase="review", text="en cours de frappe"))

    def written(paths: list[Path]) -> set[str]:
        """What each temporary file was written for (its target's name)."""
        return {p.name.split(".")[1] for p in paths if p.name.endswith(".tmp")}

    full, plain = written(fcntl.full), written(spy.fsynced)
    assert {ef.id, INDEX.split(".")[0], KEYS.split(".")[0], "latest"} <= full
    assert plain == {ef.id}  # the draft (drafts/<id>.draft) and the lease (live/<id>.lease)
    assert {p.parent.name for p in spy.fsynced if p.name.endswith(".tmp")} == {"drafts", "live"}
