"""The screen locks itself (issue 15 §5), driven with aoi's own clock: `AOI_NOW`
is moved, then the App's check is called as its one-second timer would call it;
no real time passes and no Textual timer is waited for.

Outside a live session aoi locks after 15 minutes without a key or a mouse event;
in a live session, only with the lock key (or a setting). The lock is a whole
screen: nothing of what was under it shows, at 80x24 and 40x15, monochrome too.
Only the passphrase typed there opens it (never AOI_PASSPHRASE nor the keyring);
three wrong ones close aoi, the draft written. Keys typed while locked never reach
the screens underneath."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from aoi_tui.access import keyring_access
from aoi_tui.access.opening import PASSPHRASE_ENV
from aoi_tui.config import i18n
from aoi_tui.config.settings import Settings
from aoi_tui.domain.clock import NOW_ENV
from aoi_tui.domain.vocabulary import Room
from aoi_tui.live.live_session import LiveSession
from aoi_tui.screens.app import AoiApp
from aoi_tui.screens.engagement import EngagementScreen
from aoi_tui.screens.engagements import EngagementsScreen
from aoi_tui.screens.lock import LockScreen
from aoi_tui.screens.note_editor import NoteEditorScreen
from aoi_tui.screens.session import SessionScreen
from aoi_tui.store.store import Store
from tests.support import FIXED_NOW, PASSPHRASE
from tests.tui_support import (
    burst,
    demo_id,
    freeze,
    make_app,
    on_screen,
    paste,
    screen_text,
    settle,
    start_session,
    text_of,
    wait_for,
)

COACHEE, SPONSOR = "Camille", "Dubois"  # the demo engagement's people, on every screen


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def move_clock(monkeypatch: pytest.MonkeyPatch, **later: float) -> datetime:
    """aoi's clock (`AOI_NOW`) at the fixed time plus `later` (`minutes=15`, `hours=2`)."""
    moved = datetime.fromisoformat(FIXED_NOW) + timedelta(**later)
    monkeypatch.setenv(NOW_ENV, moved.isoformat())
    return moved


async def idle_check(pilot: Pilot[Any]) -> None:
    """What the App's timer does once a second, now, then the screen it may push."""
    app = pilot.app
    assert isinstance(app, AoiApp)
    app.screen_lock.check()
    await pilot.pause()
    await pilot.pause()


def stepper(screen: SessionScreen) -> str:
    return text_of(screen, "#stepper").replace("\xa0", " ")


def locked(pilot: Pilot[Any]) -> bool:
    return isinstance(pilot.app.screen, LockScreen)


def lock_words() -> set[str]:
    """Every word the lock screen may show: its own texts, nothing else."""
    texts = " ".join(i18n.t(f"ui.lock.{k}") for k in ("title", "explain", "prompt", "checking"))
    texts += " ".join(i18n.t("ui.lock.wrong", left=n) for n in range(1, 3))
    return set(re.findall(r"\w+", texts))


def shows_nothing_but_the_lock(pilot: Pilot[Any]) -> str:
    shown = screen_text(pilot)
    assert i18n.t("ui.lock.title") in shown
    assert COACHEE not in shown and SPONSOR not in shown
    stray = set(re.findall(r"\w+", shown)) - lock_words()
    assert not stray, f"on the lock screen, not its own words: {sorted(stray)}"
    return shown


async def type_passphrase(pilot: Pilot[Any], passphrase: str) -> None:
    await paste(pilot, passphrase)
    await pilot.press("enter")
    await pilot.pause()


async def unlock(pilot: Pilot[Any]) -> None:
    await type_passphrase(pilot, PASSPHRASE)
    await wait_for(pilot, lambda: not locked(pilot), what="the lock to open")
    await pilot.pause()


# -- when it locks ------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "no_color"), [((80, 24), False), ((40, 15), True)])
async def test_after_15_minutes_without_a_key_nothing_of_the_screen_shows(
    store: Store, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], no_color: bool
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter")  # the demo engagement: its people, its sessions
        await on_screen(pilot, EngagementScreen)
        assert COACHEE in screen_text(pilot)
        move_clock(monkeypatch, minutes=14, seconds=59)
        await idle_check(pilot)
        assert not locked(pilot)
        move_clock(monkeypatch, minutes=15)
        await idle_check(pilot)
        assert locked(pilot)
        shows_nothing_but_the_lock(pilot)
        assert pilot.app.screen.query_one(Input).has_focus
        await unlock(pilot)
        assert isinstance(app.screen, EngagementScreen)
        assert COACHEE in screen_text(pilot)


async def test_a_key_or_the_mouse_counts_the_time_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        move_clock(monkeypatch, minutes=10)
        await pilot.press("down")  # a key
        move_clock(monkeypatch, minutes=24)
        await idle_check(pilot)
        assert not locked(pilot), "14 minutes since the key"
        # the mouse, as the terminal sends it to the App
        app.post_message(events.MouseMove(None, 3, 3, 0, 0, 0, False, False, False))
        await pilot.pause()
        move_clock(monkeypatch, minutes=38)
        await idle_check(pilot)
        assert not locked(pilot), "14 minutes since the mouse moved"
        move_clock(monkeypatch, minutes=39)
        await idle_check(pilot)
        assert locked(pilot)


async def test_a_clock_set_back_counts_from_now(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clock put back an hour (a correction, a time zone) would otherwise leave aoi
    unlocked for an hour and a quarter: the wait counts from the new time."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        move_clock(monkeypatch, hours=-1)
        await idle_check(pilot)
        move_clock(monkeypatch, hours=-1, minutes=15)
        await idle_check(pilot)
        assert locked(pilot)


@pytest.mark.parametrize(
    ("settings", "after"),
    [(Settings(lock_minutes=5), 5), (Settings(lock_minutes="off"), None)],
)
async def test_the_wait_is_a_setting(
    store: Store, monkeypatch: pytest.MonkeyPatch, settings: Settings, after: int | None
) -> None:
    create = make_app(store)  # the demo, then the App with these settings
    app = AoiApp(create.root, store, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        move_clock(monkeypatch, minutes=4, seconds=59)
        await idle_check(pilot)
        assert not locked(pilot)
        move_clock(monkeypatch, minutes=5)
        await idle_check(pilot)
        assert locked(pilot) is (after == 5)
        move_clock(monkeypatch, days=3)
        await idle_check(pilot)
        assert locked(pilot) is (after == 5)


async def test_nothing_locks_before_the_store_is_open(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unlock screen of the start shows nothing to hide: no lock over it."""
    app = AoiApp(store.root, None)
    async with app.run_test(size=(80, 24)) as pilot:
        move_clock(monkeypatch, hours=1)
        await idle_check(pilot)
        await pilot.press("ctrl+g")
        assert not locked(pilot)


# -- in a live session ----------------------------------------------------------------------


async def test_a_live_session_never_locks_by_itself_and_the_lock_key_locks_at_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot)
        field = screen.query_one("#note-input", Input)
        await pilot.press(*"Elle observe")
        await settle(pilot, screen)
        move_clock(monkeypatch, hours=2)  # watching, not typing
        await idle_check(pilot)
        assert not locked(pilot), "a live session does not lock by default"

        await pilot.press("ctrl+g")
        assert locked(pilot)
        shows_nothing_but_the_lock(pilot)
        move_clock(monkeypatch, hours=2, minutes=30)
        screen.tick()  # what its one-second timer does, under the lock too
        assert "session 2:30:00" in stepper(screen), "the session's clock runs on"
        await unlock(pilot)
        assert app.screen is screen
        assert field.value == "Elle observe", "the draft is kept"
        assert field.has_focus
        assert "session 2:30:00" in screen_text(pilot).replace("\xa0", " ")


async def test_a_dialog_open_under_the_lock_does_not_show_through_even_resized(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The long-note editor is a dialog over the session (the notes show around it):
    the lock is a screen, so neither shows, at any size; the text is there after."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot)
        await paste(pilot, "Premier jet")
        await pilot.press("ctrl+o")
        editor = await on_screen(pilot, NoteEditorScreen)
        await pilot.press("end", *" Lefèvre")
        await pilot.press("ctrl+g")
        shows_nothing_but_the_lock(pilot)
        for size in ((40, 15), (120, 40), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            shows_nothing_but_the_lock(pilot)
        await unlock(pilot)
        assert app.screen is editor
        assert editor.query_one(TextArea).text == "Premier jet Lefèvre"
        assert screen.is_mounted


async def test_in_a_live_session_the_wait_is_its_own_setting(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    create = make_app(store)
    app = AoiApp(create.root, store, Settings(live_lock_minutes=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_session(pilot)
        move_clock(monkeypatch, minutes=29)
        await idle_check(pilot)
        assert not locked(pilot), "15 minutes is the wait outside a session only"
        move_clock(monkeypatch, minutes=30)
        await idle_check(pilot)
        assert locked(pilot)


async def test_a_session_left_or_resumed_elsewhere_is_not_watched_any_more(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Escape leaves a session live (to resume later), but the coach no longer watches
    it: 15 minutes. A session resumed in another aoi is that one's."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot)
        elsewhere = LiveSession(screen.ef, screen.number)
        with monkeypatch.context() as another_process:
            another_process.setattr(os, "getpid", lambda: 4_000_000)
            elsewhere.take()  # another aoi resumes it
        move_clock(monkeypatch, minutes=15)
        await idle_check(pilot)
        assert locked(pilot), "taken over: this window runs no live session"
        await unlock(pilot)
        elsewhere.release()

    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")  # resume the demo's session from the list
        await on_screen(pilot, SessionScreen)
        await pilot.press("escape")
        await on_screen(pilot, EngagementsScreen)
        move_clock(monkeypatch, minutes=30)
        await idle_check(pilot)
        assert locked(pilot)


# -- what reaches what while locked ------------------------------------------------------------


async def test_keys_typed_while_locked_never_reach_the_session(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In one burst: words for the note, the lock key, then a note's words and Enter,
    the next phase, the N+1's view, the palette, quit, the coachee's log. Everything
    after the lock key goes to the passphrase field, or nowhere."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot)
        phase = screen.live.phase
        field = screen.query_one("#note-input", Input)
        field.focus()
        await burst(
            pilot,
            "text:Avant ",
            "ctrl+g",
            "text:secret",
            "enter",
            "f6",
            "f2",
            "ctrl+p",
            "ctrl+q",
            "ctrl+c",
            "ctrl+l",
            "f10",
            "escape",
        )
        await wait_for(pilot, lambda: locked(pilot), what="the lock")
        await pilot.pause(0.2)  # the wrong passphrase "secret" is checked in a thread
        assert app.is_running
        assert locked(pilot)
        assert len(app.screen_stack) == 3, "nothing opened (palette, log, end question)"
        assert app.room is Room.COACH
        shown = shows_nothing_but_the_lock(pilot)
        assert "2" in shown  # tries left: the "secret" was taken as a passphrase
        await unlock(pilot)
        assert app.screen is screen
        assert field.value == "Avant "
        assert screen.live.phase == phase
        await settle(pilot, screen)
        assert screen.notes_list.texts() == []


async def test_a_paste_while_locked_goes_to_the_passphrase_only(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot)
        field = screen.query_one("#note-input", Input)
        await pilot.press("ctrl+g")
        await paste(pilot, "collé\x1b[31m ici")
        assert field.value == ""
        lock_field = app.screen.query_one("#lock-passphrase", Input)
        assert "ici" in lock_field.value


async def test_a_huge_paste_in_the_lock_is_refused_at_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five megabytes pasted by whoever is at the keyboard: refused whole (the field
    would take seconds to draw it, aoi frozen meanwhile), the lock stays."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")
        await paste(pilot, "x" * 5_000_000)
        assert app.screen.query_one("#lock-passphrase", Input).value == ""
        await pilot.press("enter")
        assert locked(pilot)
        await unlock(pilot)


async def test_the_app_keys_do_nothing_while_locked(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")
        for key in ("f2", "ctrl+p", "ctrl+q", "ctrl+c", "ctrl+g"):
            await pilot.press(key)
            await pilot.pause()
            assert locked(pilot), key
            assert not any(isinstance(s, CommandPalette) for s in app.screen_stack)
        assert app.is_running and app.room is Room.COACH
        assert len(app.screen_stack) == 2  # the engagements, the lock


async def test_a_screen_pushed_or_popped_from_underneath_finds_the_lock_on_top(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that finishes, a time-out that closes a dialog: whatever changes the
    screen while locked, the lock comes back on top before anything is drawn."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")
        app.push_screen(EngagementScreen(demo_id(store)))
        await pilot.pause()
        assert locked(pilot)
        shows_nothing_but_the_lock(pilot)
        app.pop_screen()  # the lock itself, by something else than the passphrase
        await pilot.pause()
        assert locked(pilot)
        shows_nothing_but_the_lock(pilot)
        await unlock(pilot)
        assert isinstance(app.screen, EngagementScreen), "the screen pushed meanwhile"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EngagementsScreen), "no lock left under it"


async def test_toasts_wait_until_the_lock_opens(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("enter")  # the engagement screen
        await on_screen(pilot, EngagementScreen)
        app.notify("Exported to /home/coach/lefevre-report.md", timeout=30)
        await pilot.pause()
        assert "lefevre-report" in screen_text(pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "lefevre-report" not in screen_text(pilot), "a toast shown before is gone"
        app.notify("Note NOT SAVED: disk full (lefevre)", severity="error", timeout=30)
        await pilot.pause()
        shows_nothing_but_the_lock(pilot)
        await unlock(pilot)
        await wait_for(pilot, lambda: "NOT SAVED" in screen_text(pilot), what="the toast")


async def test_the_lock_key_is_in_the_palette_and_can_be_moved(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    create = make_app(store)
    app = AoiApp(create.root, store, Settings(keys={"lock": "f12"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await on_screen(pilot, CommandPalette)
        await paste(pilot, "lock")
        await pilot.pause(0.3)
        assert "Lock the screen now" in screen_text(pilot)
        assert "f12" in screen_text(pilot).lower()
        await pilot.press("enter")
        await wait_for(pilot, lambda: locked(pilot), what="the lock from the palette")
        await unlock(pilot)
        await pilot.press("f12")
        assert locked(pilot)


# -- what opens it --------------------------------------------------------------------------------


async def test_only_the_typed_passphrase_opens_never_the_environment_or_the_keyring(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.setattr(keyring_access, "recall", lambda _store_id: store.master)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")
        await pilot.press("enter")  # Enter alone: nothing, no try spent
        await pilot.pause(0.2)
        assert locked(pilot)
        assert text_of(app.screen, "#lock-message") == ""
        await type_passphrase(pilot, "not the passphrase")
        await wait_for(pilot, lambda: "2" in text_of(app.screen, "#lock-message"))
        assert locked(pilot)
        await unlock(pilot)


async def test_three_wrong_passphrases_close_aoi_with_the_draft_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    forgotten: list[str] = []
    monkeypatch.setattr(keyring_access, "forget", lambda store_id: forgotten.append(store_id))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot)
        await pilot.press(*"Le brouillon reste")
        await pilot.press("ctrl+g")
        for left in ("2", "1"):
            await type_passphrase(pilot, "wrong passphrase")
            await wait_for(pilot, lambda left=left: left in text_of(app.screen, "#lock-message"))
            assert forgotten == []
        await type_passphrase(pilot, "still wrong")
        await wait_for(pilot, lambda: not app.is_running, what="aoi to close")
    assert app.return_code == 1
    assert forgotten == [store.keyfile.store_id], "a restart asks for the passphrase"
    draft = LiveSession(store.engagement(demo_id(store)), screen.number).load_draft()
    assert draft is not None and draft.text == "Le brouillon reste"


async def test_the_lock_speaks_french(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.set_language("fr")
    try:
        app = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+g")
            shown = shows_nothing_but_the_lock(pilot)
            assert "aoi est verrouillé" in shown and "Phrase de passe" in shown
    finally:
        i18n.set_language("en")


async def test_served_in_a_browser_the_same_lock(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`aoi serve` runs this App with AOI_SERVED=1 and no keyring: the same lock."""
    monkeypatch.setenv("AOI_SERVED", "1")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        move_clock(monkeypatch, minutes=15)
        await idle_check(pilot)
        assert locked(pilot)
        shows_nothing_but_the_lock(pilot)
        await unlock(pilot)
