"""The terminal the coach really has, and the settings the coach really wrote:
NO_COLOR and a monochrome screen (states said in words, not in colour), the
theme and the keys of `settings.toml` applied, and a second aoi started on a
store whose session another aoi still runs."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import RadioButton, TabbedContent

from aoi_tui.config.settings import Settings, SettingsError
from aoi_tui.domain import clock
from aoi_tui.domain.models import SessionKind
from aoi_tui.live.live_session import LiveSession, other_holder
from aoi_tui.screens.app import AoiApp
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.screens.engagement import EngagementScreen
from aoi_tui.screens.engagements import EngagementsScreen
from aoi_tui.screens.framing import FramingScreen
from aoi_tui.screens.resume import ResumeScreen
from aoi_tui.screens.search import SearchScreen
from aoi_tui.screens.session import SessionScreen
from aoi_tui.store.store import Store
from tests.cli_support import aoi
from tests.support import PASSPHRASE, REPO
from tests.test_tui_lifecycle import go_to_tab
from tests.tui_support import (
    demo_id,
    freeze,
    make_app,
    on_screen,
    screen_text,
    start_session,
    wait_for,
)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


# -- NO_COLOR ---------------------------------------------------------------------------


async def test_no_color_starts_monochrome(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR is common in a coach's shell: aoi starts on its list, monochrome."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_screen(pilot, EngagementsScreen)
        assert app.no_color
        assert screen.is_current
        assert app.theme == Settings().theme


@pytest.mark.parametrize(
    "terminal",
    [
        {"NO_COLOR": "1"},
        {"TERM": "dumb"},
        {"LANG": "C", "LC_ALL": "C"},
        {"NO_COLOR": "1", "TERM": "dumb", "LANG": "C", "LC_ALL": "C"},
    ],
    ids=["no-color", "term-dumb", "lang-c", "all-three"],
)
def test_aoi_starts_in_a_bare_terminal(cli_env: dict[str, str], terminal: dict[str, str]) -> None:
    """In a real pseudo-terminal at 80×24: the list shows, ctrl+q quits cleanly."""
    aoi(cli_env, "demo")
    env = {**cli_env, "AOI_LANG": "en", **terminal}

    controller, terminal_fd = pty.openpty()
    fcntl.ioctl(terminal_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "aoi_tui"],
        stdin=terminal_fd,
        stdout=terminal_fd,
        stderr=terminal_fd,  # Textual draws on standard error
        env=env,
        cwd=REPO,
        start_new_session=True,
    )
    os.close(terminal_fd)
    seen = b""
    try:
        end = time.monotonic() + 30
        while b"Camille" not in seen and time.monotonic() < end and process.poll() is None:
            if select.select([controller], [], [], 0.1)[0]:
                with contextlib.suppress(OSError):
                    seen += os.read(controller, 65536)
        assert b"Camille" in seen, (process.poll(), seen[-400:])
        os.write(controller, b"\x11")  # ctrl+q
        end = time.monotonic() + 15
        while process.poll() is None and time.monotonic() < end:
            if select.select([controller], [], [], 0.1)[0]:
                with contextlib.suppress(OSError):
                    seen += os.read(controller, 65536)
        assert process.poll() == 0
        assert b"Traceback" not in seen
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(controller)


# -- the settings file's theme and keys -------------------------------------------------


def app_with(store: Store, settings: Settings) -> AoiApp:
    make_app(store)  # the demo
    return AoiApp(store.root, store, settings)


async def test_the_settings_theme_is_used(store: Store) -> None:
    app = app_with(store, Settings(theme="nord"))
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, EngagementsScreen)
        assert app.theme == "nord"
        assert app.current_theme.name == "nord"


async def test_a_key_remapped_in_the_settings_runs_its_action(store: Store) -> None:
    app = app_with(store, Settings(keys={"engagements.search": "ctrl+f"}))
    async with app.run_test(size=(80, 24)) as pilot:
        list_screen = await on_screen(pilot, EngagementsScreen)
        await pilot.press("slash")  # the old key no longer searches
        await pilot.pause()
        assert app.screen is list_screen
        await pilot.press("ctrl+f")
        await on_screen(pilot, SearchScreen, "search opened by the remapped key")
        await pilot.press("escape")
        await on_screen(pilot, EngagementsScreen)
        # the palette names the key that works now
        palette = await palette_lines(pilot)
        assert any(line.startswith("Search") and "^f" in line for line in palette), palette


async def palette_lines(pilot: Pilot[Any]) -> list[str]:
    """The palette's commands, each with its key, as shown."""
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), what="palette")
    commands = pilot.app.screen.query_one(CommandList)
    await wait_for(pilot, lambda: commands.option_count > 0, what="commands")
    await pilot.pause(0.2)
    lines = [
        " ".join(str(commands.get_option_at_index(i).prompt).split())
        for i in range(commands.option_count)
    ]
    await pilot.press("escape")
    await pilot.pause()
    return lines


async def test_an_app_wide_key_can_be_remapped(store: Store) -> None:
    app = app_with(store, Settings(keys={"sponsor_safe": "f12"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, EngagementsScreen)
        await pilot.press("f2")
        assert not app.sponsor_safe
        await pilot.press("f12")
        assert app.sponsor_safe


def test_a_key_taken_from_another_binding_of_the_screen_is_a_clear_error(store: Store) -> None:
    """Textual would take `n` from "new session" without a word."""
    with pytest.raises(SettingsError) as raised:
        AoiApp(store.root, store, Settings(keys={"engagements.search": "n"}))
    message = str(raised.value)
    assert "'engagements.search' is given n" in message
    assert "'engagements.new_session'" in message


def test_an_unknown_binding_id_is_a_clear_error(store: Store) -> None:
    with pytest.raises(SettingsError) as raised:
        AoiApp(store.root, store, Settings(keys={"engagements.serch": "ctrl+f"}))
    message = str(raised.value)
    assert "settings.toml" in message
    assert "keys" in message and "'engagements.serch'" in message
    assert "engagements.search" in message  # the id meant, offered


def test_an_unknown_theme_is_a_clear_error(store: Store) -> None:
    with pytest.raises(SettingsError) as raised:
        AoiApp(store.root, store, Settings(theme="solarised"))
    message = str(raised.value)
    assert "theme" in message and "'solarised'" in message
    assert "textual-light" in message  # what can be chosen


def run_in_pty(env: dict[str, str], timeout: float = 30) -> tuple[int, str]:
    """`aoi` in a pseudo-terminal (as a coach types it), standard error apart."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "aoi_tui"],
        stdin=terminal,
        stdout=terminal,
        stderr=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    os.close(terminal)
    end = time.monotonic() + timeout
    try:
        while process.poll() is None and time.monotonic() < end:
            ready, _, _ = select.select([controller], [], [], 0.1)
            if ready:
                try:
                    os.read(controller, 65536)  # drain the screen so aoi never blocks
                except OSError:
                    time.sleep(0.05)
        if process.poll() is None:
            process.kill()
            pytest.fail("aoi did not stop on a wrong settings file")
        assert process.stderr is not None
        return process.returncode, process.stderr.read().decode()
    finally:
        os.close(controller)


def test_a_wrong_key_in_the_settings_stops_aoi_with_one_line(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "settings.toml").write_text('[keys]\n"session.nxt_phase" = "f6"\n', "utf-8")
    env = {**cli_env, "AOI_CONFIG_DIR": str(config), "AOI_PASSPHRASE": PASSPHRASE}
    code, err = run_in_pty(env)
    assert code != 0
    assert "Traceback" not in err
    [line] = err.strip().splitlines()
    assert "'session.nxt_phase'" in line and "session.next_phase" in line


# -- a second aoi on the same store -------------------------------------------------------


@pytest.fixture
def other_aoi() -> Iterator[subprocess.Popen[bytes]]:
    """A process standing for another aoi still running (its command line names aoi)."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", "aoi"],
    )
    yield process
    process.kill()
    process.wait()


def running_session(store: Store, holder_pid: int) -> str:
    """The demo's session live, its lease held by `holder_pid` on this machine."""
    eid = demo_id(store)
    ef = store.engagement(eid)
    session = ef.new_session(SessionKind.AOI)
    session.started_at = clock.now()
    ef.update(session)
    LiveSession(ef, session.number).take()
    lease = store.root / "live" / f"{eid}.lease"
    held = json.loads(lease.read_bytes())
    lease.write_text(json.dumps({**held, "pid": holder_pid}))
    return eid


async def test_a_session_another_aoi_runs_is_said_and_taken_over_in_those_words(
    store: Store, other_aoi: subprocess.Popen[bytes]
) -> None:
    app = make_app(store)
    running_session(store, other_aoi.pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen), what="the question")
        await pilot.pause()
        shown = " ".join(screen_text(pilot).split())
        assert "was running when aoi stopped" not in shown
        assert "another aoi" in shown and f"pid {other_aoi.pid}" in shown
        assert "⏎ Take over" in shown  # the key says what it does
        await pilot.press("enter")
        await on_screen(pilot, SessionScreen, "taken over")


async def test_a_session_another_aoi_runs_is_not_taken_by_r_without_asking(
    store: Store, other_aoi: subprocess.Popen[bytes]
) -> None:
    app = make_app(store)
    eid = running_session(store, other_aoi.pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen), what="the question")
        await pilot.press("escape")  # leave it to the other aoi
        await on_screen(pilot, EngagementsScreen)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen), what="asked again")
        await pilot.press("escape")
        await on_screen(pilot, EngagementsScreen)
    lease = json.loads((store.root / "live" / f"{eid}.lease").read_bytes())
    assert lease["pid"] == other_aoi.pid, "still the other aoi's"


def test_a_lease_from_another_machine_is_said_as_such(store: Store) -> None:
    """A store on a shared folder: whether that aoi still runs cannot be told here."""
    make_app(store)
    eid = running_session(store, 4242)
    lease = store.root / "live" / f"{eid}.lease"
    lease.write_text(json.dumps({**json.loads(lease.read_bytes()), "host": "autre-poste"}))
    holder = other_holder(store.root, eid)
    assert holder is not None and not holder.here and holder.host == "autre-poste"
    lease.write_text("{not json")
    assert other_holder(store.root, eid) is None  # a damaged lease: the old question


async def test_a_session_whose_aoi_stopped_is_offered_as_before(store: Store) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass", "aoi"])
    gone.wait()
    app = make_app(store)
    running_session(store, gone.pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen), what="the question")
        # read once painted: under load the question's screen may be current before that
        await wait_for(
            pilot,
            lambda: "was running when aoi stopped" in " ".join(screen_text(pilot).split()),
            what="the question, said",
        )


# -- states said without colour ------------------------------------------------------------


def plain(pilot: Pilot[Any]) -> str:
    """The screen as a monochrome terminal shows it: characters only."""
    return screen_text(pilot)


async def shows(pilot: Pilot[Any], text: str) -> None:
    """Wait until `text` is on the screen, in characters (a colour does not count)."""
    await wait_for(pilot, lambda: text in plain(pilot), timeout=3, what=repr(text))


async def test_agreement_flags_read_ticked_or_not_without_colour(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, EngagementsScreen)
        await pilot.press("enter")
        await on_screen(pilot, EngagementScreen)
        await pilot.press("f")
        await on_screen(pilot, FramingScreen)
        await go_to_tab(pilot, "framing-tabs", "tab-agreement")
        # the demo's agreement: consent given, right to withdraw, competencies not reported
        await shows(pilot, "[x] Right to withdraw at any time")
        shown = plain(pilot)
        assert "[x] The coachee consents (date):" in shown, shown
        assert "[ ] Competency levels are reported" in shown
        assert "▐X▌" not in shown


async def test_remember_the_key_reads_ticked_or_not_without_colour(store: Store) -> None:
    app = AoiApp(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await shows(pilot, "[ ] Remember the key")
        app.screen.query_one("#remember").focus()
        await pilot.press("space")
        await shows(pilot, "[x] Remember the key")


async def test_the_coachees_feeling_reads_chosen_or_not_without_colour(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_session(pilot)
        await pilot.press("f9")
        debrief = await on_screen(pilot, DebriefScreen)
        debrief.query_one("#tabs", TabbedContent).active = "tab-fsac"
        await wait_for(pilot, lambda: "3 — fine" in plain(pilot), what="the FSAC tab")
        debrief.query_one("#feeling").focus()
        await pilot.press("down", "down", "down", "enter")
        await wait_for(pilot, lambda: debrief.query_one("#feeling-4", RadioButton).value)
        await shows(pilot, "(•) 4 — good")
        assert "( ) 3 — fine" in plain(pilot)
