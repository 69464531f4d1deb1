"""The debrief's notes (`debrief_notes.py`): what the coachee reads, the keys, and
what opening the debrief and one change cost in a session of 2,000 notes: each
note measured once, and drawn only when in view. A DataTable measured every
cell of every row at each opening and at each change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.app import App, ComposeResult

from aoi_tui import screens
from aoi_tui.domain import clock
from aoi_tui.domain.models import Note, Visibility
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.screens.debrief_notes import DebriefNotes
from aoi_tui.store.store import Store
from tests.tui_support import freeze, make_app, screen_text, start_session, text_of, wait_for

APP_CSS = str(next(iter(screens.__path__)) + "/app.tcss")


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


class Harness(App[None]):
    """The table on its own, styled as in aoi; how many times it said the cursor moved."""

    CSS_PATH = APP_CSS

    def __init__(self, widget: DebriefNotes) -> None:
        super().__init__()
        self.widget = widget
        self.highlighted = 0

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_debrief_notes_highlighted(self) -> None:
        self.highlighted += 1


def notes(count: int, **fields: Any) -> list[Note]:
    start = clock.now()
    return [
        Note(
            session=1,
            phase="review",
            text=f"note {i}",
            created_at=start + timedelta(seconds=i),
            **fields,
        )
        for i in range(count)
    ]


async def test_each_note_shows_its_words_as_typed_on_one_line() -> None:
    markup = Note(session=1, phase="review", text="[bold]pas du gras[/bold] \x1b[31m rouge")
    lines = Note(session=1, phase="review", text="un\ndeux\ttrois")
    shared = Note(session=1, phase="review", text="partagée", visibility=Visibility.SHAREABLE)
    shared.validate_by_coachee()
    widget = DebriefNotes(id="debrief-notes")  # its height in the debrief
    async with Harness(widget).run_test(size=(80, 10)) as pilot:
        widget.set_notes([markup, lines, shared])
        await pilot.pause()
        assert widget.texts() == [
            ["private", "—", "observation", "[bold]pas du gras[/bold]  rouge"],
            ["private", "—", "observation", "un deux trois"],
            ["shareable", "validated", "observation", "partagée"],
        ]
        shown = screen_text(pilot)
        assert "Visibility" in shown and "[bold]pas du gras[/bold]" in shown
        assert "un deux trois" in shown


async def test_the_keys_move_the_cursor_and_say_it() -> None:
    widget = DebriefNotes(id="debrief-notes")  # its height in the debrief
    app = Harness(widget)
    async with app.run_test(size=(80, 10)) as pilot:
        widget.set_notes(notes(30))
        widget.focus()
        await pilot.pause()
        said = app.highlighted
        await pilot.press("down", "down")
        assert widget.selected is not None and widget.selected.text == "note 2"
        assert app.highlighted == said + 2  # the screen shows the whole text of each
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert widget.selected is not None and widget.selected.text == "note 29"
        assert "note 29" in screen_text(pilot)  # in view, under the header
        assert "Visibility" in screen_text(pilot)
        await pilot.press("pageup")
        assert widget.cursor_row < 29
        await pilot.press("ctrl+home", "up")
        assert widget.cursor_row == 0


async def test_a_text_longer_than_the_screen_scrolls_sideways() -> None:
    long = Note(session=1, phase="review", text=" ".join(f"mot{i}" for i in range(30)) + " fin")
    widget = DebriefNotes(id="debrief-notes")  # its height in the debrief
    async with Harness(widget).run_test(size=(60, 10)) as pilot:
        widget.set_notes([long])
        widget.focus()
        await pilot.pause()
        assert "fin" not in screen_text(pilot)
        await pilot.press("end")
        await pilot.pause()
        assert "fin" in screen_text(pilot)
        await pilot.press("home")
        await pilot.pause()
        assert "Visibility" in screen_text(pilot)


async def test_one_change_among_2000_notes_measures_that_note_alone() -> None:
    listed = notes(2000)
    widget = DebriefNotes(id="debrief-notes")  # its height in the debrief
    async with Harness(widget).run_test(size=(80, 24)) as pilot:
        widget.set_notes(listed)
        await pilot.pause()
        in_view = widget.scrollable_content_region.height
        assert widget.measured == 2000 and widget.drawn <= in_view
        widget.measured = widget.drawn = 0

        again = [n.model_copy() for n in listed]  # read again from the store
        again[1].toggle_sharing()
        widget.set_notes(again)
        await pilot.pause()
        print(f"2,000 notes, one shared: {widget.measured} measured, {widget.drawn} drawn")
        assert widget.measured == 1
        assert widget.drawn <= 1  # the row, in view at the top
        assert widget.texts()[1][0] == "shareable"


async def test_the_debrief_of_a_session_of_2000_notes_measures_each_once(store: Store) -> None:
    """Opening the debrief measures each note once, draws what is in view; F3 on a
    note measures that note alone."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot)
        with screen.ef.batch():
            for i in range(2000):
                screen.ef.insert(Note(session=screen.number, phase="review", text=f"old{i}"))
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), what="debrief")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        table = debrief.query_one("#debrief-notes", DebriefNotes)
        in_view = table.scrollable_content_region.height
        opened = table.measured, table.drawn
        table.measured = table.drawn = 0
        await pilot.press("down", "f3")
        await pilot.pause()
        shared = table.measured, table.drawn
        print(f"debrief of 2,000 notes: opened {opened}, one shared {shared}, in view {in_view}")
        assert opened[0] == 2000
        assert opened[1] <= 2 * in_view  # drawn, then again as it takes the focus
        assert shared[0] == 1 and shared[1] <= 3  # the row shared, the cursor's old and new
        assert table.texts()[1][0] == "shareable"
        assert text_of(debrief, "#note-detail") == "old1"
