"""Where an export may be written (issue 11 §3, issue 10 §3).

No output path reaches the data folder, however it is spelled; a character
device or a FIFO is written into, never replaced; a folder or another special
file is refused; an export written but not recorded says exactly that.
Devices are made with `mknod` in a temporary folder: never the real /dev/null."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aoi_tui.cli import parser as cli
from aoi_tui.domain.models import Agreement, Audience, Engagement, ExportRecord
from aoi_tui.exports.writing import (
    Export,
    ExportNotRecorded,
    ExportPathError,
    build_export,
    write_export,
)
from aoi_tui.secure.durable import StoreWriteError
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import Store
from tests.support import FIXED_NOW
from tests.test_cli import aoi, fails, ok

IS_ROOT = os.geteuid() == 0


@pytest.fixture
def made(store: Store) -> Iterator[tuple[Store, EngagementFile, Export]]:
    from datetime import date

    ef = store.create_engagement(
        Engagement(
            coachee="Camille Martin",
            sponsor="Marc Dubois",
            agreement=Agreement(consent_date=date(2026, 3, 2)),
        )
    )
    yield store, ef, build_export(store, ef.id, Audience.SHARED, "md", "fr")


def store_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def inside_spellings(root: Path, tmp_path: Path, eid: str) -> list[str]:
    link = tmp_path / "raccourci"
    link.symlink_to(root)
    (tmp_path / "ailleurs").mkdir()
    return [
        str(root / "keys.json"),
        str(root / "index.db"),
        str(root / "engagements" / f"{eid}.db"),
        str(root),  # the folder itself: a file would be added in it
        str(root / "engagements"),
        str(root / "nouveau.md"),  # a new file, still inside
        str(tmp_path / "ailleurs" / ".." / root.name / "keys.json"),
        str(link / "keys.json"),
        str(link),
        str(root / "engagements" / ".." / "keys.json"),
    ]


# -- A. never inside the data folder ------------------------------------------------------------


def test_no_spelling_of_a_path_inside_the_data_folder_is_written(
    made: tuple[Store, EngagementFile, Export], tmp_path: Path
) -> None:
    store, ef, export = made
    assert store.root.parent == tmp_path
    before = store_bytes(store.root)
    for spelling in inside_spellings(store.root, tmp_path, ef.id):
        with pytest.raises(ExportPathError, match="data folder"):
            write_export(store, ef.id, export, spelling)
    assert store_bytes(store.root) == before
    assert ef.all(ExportRecord) == []


def test_a_relative_path_into_the_data_folder_is_refused(
    made: tuple[Store, EngagementFile, Export], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, ef, export = made
    monkeypatch.chdir(store.root / "engagements")
    before = store_bytes(store.root)
    with pytest.raises(ExportPathError, match="data folder"):
        write_export(store, ef.id, export, None)  # the default name, in the current folder
    with pytest.raises(ExportPathError, match="data folder"):
        write_export(store, ef.id, export, "../keys.json")
    assert store_bytes(store.root) == before


def test_cli_refuses_every_spelling_and_the_store_still_opens(
    store: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**cli_env, "AOI_NOW": FIXED_NOW}
    data = store.root
    eid = ok(
        aoi(env, data, "engagement", "new", "--coachee", "C", "--sponsor", "S",
            "--consent-date", "2026-03-02")
    ).strip()  # fmt: skip
    before = store_bytes(data)
    for spelling in inside_spellings(data, tmp_path, eid):
        line = fails(aoi(env, data, "export", eid, "--shared", "-o", spelling), "data folder")
        assert "nothing was changed" in line
    assert store_bytes(data) == before
    assert eid in ok(aoi(env, data, "engagement", "list"))


# -- A. written but not recorded ----------------------------------------------------------------


def _full_disk(*args: Any, **kwargs: Any) -> None:
    raise StoreWriteError(Path("engagements/x.db"), OSError(errno.ENOSPC, "No space left"))


def test_an_export_written_but_not_recorded_says_so(
    made: tuple[Store, EngagementFile, Export],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, ef, export = made
    target = tmp_path / "rapport.md"
    monkeypatch.setattr(EngagementFile, "insert", _full_disk)
    with pytest.raises(ExportNotRecorded) as caught:
        write_export(store, ef.id, export, str(target))
    message = str(caught.value)
    assert str(target) in message and "written" in message
    assert "not recorded" in message and "disk is full" in message
    assert target.read_text("utf-8") == export.content
    assert caught.value.path == target


def test_cli_says_the_file_was_written_and_the_record_was_not(
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from datetime import date

    ef = store.create_engagement(
        Engagement(coachee="C", sponsor="S", agreement=Agreement(consent_date=date(2026, 3, 2)))
    )
    monkeypatch.setenv("AOI_PASSPHRASE", "correct horse battery staple")
    monkeypatch.setattr(EngagementFile, "insert", _full_disk)
    target = tmp_path / "rapport.md"
    with pytest.raises(SystemExit) as exited:
        cli.main(["export", ef.id, "--shared", "-o", str(target)])
    assert exited.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert str(target) in err[0] and "was written" in err[0] and "not recorded" in err[0]
    assert "nothing was changed" not in err[0] and "unexpected" not in err[0]
    assert target.exists()


# -- B. not a regular file ------------------------------------------------------------------------


def test_a_fifo_is_written_into_not_replaced(
    made: tuple[Store, EngagementFile, Export], tmp_path: Path
) -> None:
    store, ef, export = made
    fifo = tmp_path / "tube"
    os.mkfifo(fifo, 0o644)
    # the reading end is open (as a `cat` would hold it) before aoi writes
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        assert write_export(store, ef.id, export, str(fifo)) == fifo
        received = []
        while chunk := os.read(fd, 65536):
            received.append(chunk)
    finally:
        os.close(fd)
    assert b"".join(received) == export.content.encode("utf-8")
    mode = fifo.lstat().st_mode
    assert stat.S_ISFIFO(mode) and stat.S_IMODE(mode) == 0o644  # still a FIFO, never chmod'ed
    assert [r.filename for r in ef.all(ExportRecord)] == [str(fifo)]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["tube"]


def test_a_fifo_nobody_reads_is_refused_at_once(
    made: tuple[Store, EngagementFile, Export], tmp_path: Path
) -> None:
    store, ef, export = made
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    with pytest.raises(ExportPathError, match="nothing reads"):
        write_export(store, ef.id, export, str(fifo))
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert ef.all(ExportRecord) == []


@pytest.mark.skipif(not IS_ROOT, reason="mknod of a character device needs root")
def test_a_character_device_is_written_into_not_replaced(
    made: tuple[Store, EngagementFile, Export], tmp_path: Path
) -> None:
    store, ef, export = made
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    os.chmod(null, 0o666)
    write_export(store, ef.id, export, str(null))
    st = null.lstat()
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert stat.S_IMODE(st.st_mode) == 0o666
    # a link to the device is written through too (what /dev/stdout is)
    link = tmp_path / "sortie"
    link.symlink_to(null)
    write_export(store, ef.id, export, str(link))
    assert link.is_symlink() and stat.S_ISCHR(null.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["null", "sortie"]


@pytest.mark.skipif(not IS_ROOT, reason="mknod of a block device needs root")
def test_a_block_device_is_refused(
    made: tuple[Store, EngagementFile, Export], tmp_path: Path
) -> None:
    store, ef, export = made
    disk = tmp_path / "disque"
    os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 200))  # a loop device, never opened
    with pytest.raises(ExportPathError, match="block device"):
        write_export(store, ef.id, export, str(disk))
    assert stat.S_ISBLK(disk.lstat().st_mode)


def test_a_socket_is_refused(made: tuple[Store, EngagementFile, Export], tmp_path: Path) -> None:
    import socket

    store, ef, export = made
    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        with pytest.raises(ExportPathError, match="socket"):
            write_export(store, ef.id, export, str(path))
        assert stat.S_ISSOCK(path.lstat().st_mode)


def test_a_link_to_a_regular_file_is_still_refused(
    made: tuple[Store, EngagementFile, Export], tmp_path: Path
) -> None:
    store, ef, export = made
    (tmp_path / "public.md").write_text("public")
    (tmp_path / "lien").symlink_to(tmp_path / "public.md")
    with pytest.raises(ExportPathError, match="symbolic link"):
        write_export(store, ef.id, export, str(tmp_path / "lien"))
    assert (tmp_path / "public.md").read_text() == "public"


def test_cli_dev_stdout_is_written_to(store: Store, cli_env: dict[str, str]) -> None:
    env = {**cli_env, "AOI_NOW": FIXED_NOW}
    data = store.root
    eid = ok(
        aoi(env, data, "engagement", "new", "--coachee", "Camille", "--sponsor", "S",
            "--consent-date", "2026-03-02")
    ).strip()  # fmt: skip
    out = ok(aoi(env, data, "export", eid, "--shared", "-o", "/dev/stdout"))
    assert "Camille" in out
    # stdout a regular file (a shell's `> file`): still written there, not replaced
    target = data.parent / "redirige.md"
    with target.open("w") as f:
        done = subprocess.run(
            [sys.executable, "-m", "aoi_tui", "--data-dir", str(data), "export", eid,
             "--shared", "-o", "/dev/stdout"],
            env=env, stdout=f, stderr=subprocess.PIPE, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Camille" in target.read_text("utf-8")


def test_cli_fifo_and_missing_user(store: Store, cli_env: dict[str, str], tmp_path: Path) -> None:
    env = {**cli_env, "AOI_NOW": FIXED_NOW}
    data = store.root
    eid = ok(
        aoi(env, data, "engagement", "new", "--coachee", "Camille", "--sponsor", "S",
            "--consent-date", "2026-03-02")
    ).strip()  # fmt: skip
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    try:
        done = aoi(env, data, "export", eid, "--shared", "-o", str(fifo))
        out, _ = reader.communicate(timeout=30)
    finally:
        reader.kill()
    assert done.returncode == 0, done.stderr
    assert "Camille" in out and stat.S_ISFIFO(fifo.lstat().st_mode)
    fails(aoi(env, data, "export", eid, "--shared", "-o", "~nouser-aoi/x.md"), "nouser-aoi",
          "no user")  # fmt: skip


# -- the TUI's export screen goes through the same function --------------------------------------


async def test_tui_export_screen_refuses_the_data_folder_and_says_what_was_not_recorded(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input

    from aoi_tui.screens.export import ExportScreen
    from tests.tui_support import demo_id, freeze, make_app, notifications, wait_for

    freeze(monkeypatch)
    app = make_app(store)
    keys = (store.root / "keys.json").read_bytes()
    async with app.run_test(size=(120, 40)) as pilot:
        eid = demo_id(store)
        screen = ExportScreen(eid)
        app.push_screen(screen)
        await wait_for(pilot, lambda: app.screen is screen and screen.export is not None)
        screen.query_one("#path", Input).value = str(store.root / "keys.json")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "data folder" in notifications(pilot)[-1]
        assert app.screen is screen and app.is_running
        assert (store.root / "keys.json").read_bytes() == keys
        target = tmp_path / "rapport.md"
        screen.query_one("#path", Input).value = str(target)
        monkeypatch.setattr(EngagementFile, "insert", _full_disk)
        await pilot.press("ctrl+o")
        await pilot.pause()
        said = notifications(pilot)[-1]
        assert str(target) in said and "not recorded" in said and "disk is full" in said
        assert target.exists() and app.is_running


@pytest.mark.parametrize("target", ["-", "/dev/tty"])
async def test_tui_export_screen_refuses_the_terminal_it_draws_on(
    store: Store, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    """`-` (or the terminal by another name) from the TUI would draw the report over
    the screen, where it is lost: refused, said, the screen stays."""
    from textual.widgets import Input

    from aoi_tui.screens.export import ExportScreen
    from tests.tui_support import demo_id, freeze, make_app, notifications, wait_for

    freeze(monkeypatch)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = ExportScreen(demo_id(store))
        app.push_screen(screen)
        await wait_for(pilot, lambda: app.screen is screen and screen.export is not None)
        screen.query_one("#path", Input).value = target
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "terminal" in notifications(pilot)[-1]
        assert app.screen is screen and app.is_running


def test_cli_a_name_with_a_newline_is_said_on_one_line(
    store: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**cli_env, "AOI_NOW": FIXED_NOW}
    data = store.root
    eid = ok(
        aoi(env, data, "engagement", "new", "--coachee", "C", "--sponsor", "S",
            "--consent-date", "2026-03-02")
    ).strip()  # fmt: skip
    target = tmp_path / "rapport\nfaux.md"
    done = aoi(env, data, "export", eid, "--shared", "-o", str(target))
    assert done.returncode == 0 and target.exists()
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_cli_and_the_export_writer_refuse_a_path_in_french(
    made: tuple[Store, EngagementFile, Export], cli_env: dict[str, str], tmp_path: Path
) -> None:
    """The refusals were English whatever the coach's language: said in French."""
    import socket

    from aoi_tui.config import i18n

    store, ef, export = made
    env = {**cli_env, "AOI_NOW": FIXED_NOW}
    fifo, link = tmp_path / "tube", tmp_path / "lien"
    os.mkfifo(fifo)
    (tmp_path / "public.md").write_text("public")
    link.symlink_to(tmp_path / "public.md")
    cases = {
        "write.no_reader": [str(fifo)],
        "write.symlink": [str(link)],
        "write.data_folder": [str(store.root / "nouveau.md")],
        "write.word_to_stdout": ["-", "--format", "docx"],
    }
    for key, where in cases.items():
        said = fails(
            aoi(env, store.root, "--lang", "fr", "export", ef.id, "--shared", "-o", *where)
        )
        assert i18n.t(key, "fr") in said and "rien n'a été modifié" in said, said
        assert i18n.t(key, "en") not in said and "could not write" not in said, said
    said = fails(aoi(env, store.root, "--lang", "fr", "export", ef.id, "--shared", "-o",
                     "~nouser-aoi/x.md"))  # fmt: skip
    assert "aucun utilisateur 'nouser-aoi'" in said, said
    saved = i18n._current
    i18n.set_language("fr")
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(str(tmp_path / "sock"))
            with pytest.raises(ExportPathError) as refused:
                write_export(store, ef.id, export, str(tmp_path / "sock"))
        assert str(refused.value).endswith(i18n.t("write.socket", "fr")), refused.value
        assert "impossible d'écrire" in str(refused.value)
    finally:
        i18n._current = saved
