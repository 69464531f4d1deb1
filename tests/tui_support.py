"""What the TUI tests share: a frozen world (clock, card draws, language, no
cursor blink), the App factory, and the few moves a coach makes everywhere
(open the demo engagement, start a session, type a note and wait for the disk).

Build the App with `make_app(store)`, as Posting's tests do with
`make_posting()`: every test starts from a fresh data folder (the conftest
`store` fixture) holding only the demo engagement."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from rich.cells import cell_len
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea

from aoi_tui.config import i18n
from aoi_tui.demo import create_demo, find_demo
from aoi_tui.domain.cards import SEED_ENV
from aoi_tui.domain.clock import NOW_ENV
from aoi_tui.screens.app import AoiApp
from aoi_tui.screens.session import SessionScreen
from aoi_tui.store.store import Store
from tests.support import FIXED_NOW

CARD_SEED = "7"
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


def freeze(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fix what would otherwise change between runs: the clock (timers, dates of the
    demo engagement), the cards drawn, the language, the blinking cursors."""
    monkeypatch.setenv(NOW_ENV, FIXED_NOW)
    monkeypatch.setenv(SEED_ENV, CARD_SEED)
    monkeypatch.delenv("NO_COLOR", raising=False)
    i18n.set_language("en")
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)
    record_notifications(monkeypatch)


NOTIFIED = "notified_in_test"
"""Where each App keeps, in a test, what `notify` said (title, message)."""


def record_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wrap the public `App.notify` so that a test can read what was said (the
    toasts themselves come and go)."""
    shown = AoiApp.notify

    def notify(self: AoiApp, message: str, *, title: str = "", **kwargs: Any) -> None:
        vars(self).setdefault(NOTIFIED, []).append((title, str(message)))
        shown(self, message, title=title, **kwargs)

    monkeypatch.setattr(AoiApp, "notify", notify)


def make_app(store: Store, *, demo: bool = True) -> AoiApp:
    """The App on an unlocked store; with `demo`, the demo engagement made under
    the (fixed) clock so its dates are stable. Call `freeze` first."""
    if demo:
        create_demo(store)
    return AoiApp(store.root, store)


def demo_id(store: Store) -> str:
    eid = find_demo(store)
    assert eid is not None
    return eid


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 5.0, what: str = ""
) -> None:
    """Let the App run until `condition` holds (writes go through a background thread)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)


async def on_screen(pilot: Pilot[Any], cls: type, what: str = "") -> Any:
    """Wait until the screen on top is a `cls`, and return it."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, cls), what=what or cls.__name__)
    await pilot.pause()
    return pilot.app.screen


async def start_session(pilot: Pilot[Any]) -> SessionScreen:
    """From the engagements list: `n`, then Enter on the kind offered (an AOI session)."""
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SessionScreen), what="session")
    await pilot.pause()
    return session_screen(pilot)


def session_screen(pilot: Pilot[Any]) -> SessionScreen:
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen), f"on {type(screen).__name__}, not the session"
    return screen


async def settle(pilot: Pilot[Any], screen: SessionScreen) -> None:
    """Wait until every queued write ran and its result reached the screen."""
    await pilot.pause()
    await asyncio.to_thread(screen.live.drain)
    await wait_for(
        pilot,
        lambda: all(state != "saving" for state in screen.notes_list.states.values()),
        what="notes to leave 'saving…'",
    )
    await pilot.pause()


async def type_note(
    pilot: Pilot[Any], text: str, *, submit: bool = True, keys: bool = False
) -> None:
    """Put `text` in the note input, pasted (one event) or with `keys` key by key
    (each key costs the test ~50 ms); Enter saves it."""
    screen = session_screen(pilot)
    screen.query_one("#note-input", Input).focus()
    if keys:
        await pilot.press(*text)
    else:
        await paste(pilot, text)
    if submit:
        await pilot.press("enter")
        await settle(pilot, screen)


def notes_list_text(screen: SessionScreen) -> list[str]:
    """The lines of the session's note list, as the coach reads them."""
    return screen.notes_list.texts()


SVG_CELL = 12.2
"""The width of a cell in Textual's screenshots (Rich's SVG export)."""
SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)" textLength="[\d.]+"[^>]*>([^<]*)</text>'
)


def screen_text(pilot: Pilot[Any]) -> str:
    """Everything on the terminal now (modal dialogs included), as plain text, read
    from Textual's public screenshot: each run of text put back at its cell."""
    rows: dict[float, dict[int, str]] = {}
    for match in SVG_TEXT.finditer(pilot.app.export_screenshot()):
        x, y, text = float(match[1]), float(match[2]), html.unescape(match[3])
        rows.setdefault(y, {})[round(x / SVG_CELL)] = text.replace("\xa0", " ")
    lines = []
    for _y, runs in sorted(rows.items()):
        line = ""
        for column, text in sorted(runs.items()):
            line += " " * max(0, column - cell_len(line)) + text
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


def text_of(screen: Screen[Any], selector: str) -> str:
    """The plain text a Static shows."""
    return str(screen.query_one(selector, Static).content)


def notifications(pilot: Pilot[Any]) -> list[str]:
    """The messages of the notifications (toasts) raised so far."""
    return [message for _title, message in notified(pilot.app)]


def notified(app: Any) -> list[tuple[str, str]]:
    """Every (title, message) the App notified so far (`freeze` records them)."""
    said: list[tuple[str, str]] = vars(app).get(NOTIFIED, [])
    return said


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Paste `text` as a terminal does (bracketed paste), into the focused widget."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


NAMED_CHARACTERS = {"enter": "\r", "tab": "\t", "escape": "\x1b", "space": " "}


async def burst(pilot: Pilot[Any], *parts: str) -> None:
    """Keys as a terminal sends them in one write: every key is queued for the App
    before it handles the first (Pilot's `press` waits after each key; a slow
    link, a paste or a fast typist does not). A part is a key name ("enter",
    "f4", "ctrl+o") or, prefixed with "text:", characters to type."""
    app = pilot.app
    for part in parts:
        if part.startswith("text:"):
            for char in part[5:]:
                key = char if char.isalnum() else _character_to_key(char)
                app.post_message(events.Key(key, char))
        else:
            app.post_message(events.Key(part, NAMED_CHARACTERS.get(part)))
    await pilot.pause()
