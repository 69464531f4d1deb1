"""Snapshots of the main screens at 80×24 and 120×40 (pytest-textual-snapshot).

Deterministic: the clock is fixed (`AOI_NOW`, so the demo's dates and every
timer are the same on each run), the cards are drawn with a fixed seed
(`AOI_CARD_SEED`), cursors do not blink, and each test has its own data folder.
Update with `pytest tests/test_snapshots.py --snapshot-update`, then look at
the SVGs before committing them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from textual.pilot import Pilot

from aoi_tui.domain.models import Visibility
from aoi_tui.screens.app import AoiApp
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.store.store import Store
from tests.tui_support import (
    SIZES,
    freeze,
    make_app,
    session_screen,
    start_session,
    type_note,
    wait_for,
)

Steps = Callable[[Pilot[Any]], Awaitable[None]]

# pytest-textual-snapshot 1.0 sets `_file_extension`; syrupy >= 5 reads
# `file_extension`: without this the SVGs are saved as `.raw`.
SVGImageExtension.file_extension = "svg"


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


async def nothing(pilot: Pilot[Any]) -> None:
    await pilot.pause()


async def engagement(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def session_review(pilot: Pilot[Any]) -> None:
    await start_session(pilot)


async def notes_taken(pilot: Pilot[Any]) -> None:
    """A session in the field phase: a private note, a shareable one, a success."""
    await start_session(pilot)
    await pilot.press("f6")
    await type_note(pilot, "De dos à l'équipe")
    await pilot.press("f4")
    await type_note(pilot, "Point sécurité")
    await pilot.press("f3", "f7")
    await type_note(pilot, "Reformulation")
    await pilot.press(*"Brouillon")


async def debrief(pilot: Pilot[Any]) -> None:
    await notes_taken(pilot)
    await pilot.press("f9")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, DebriefScreen), what="debrief")
    await pilot.press("down", "f4")  # the coachee validates the shareable note
    await pilot.pause()


async def sponsor_safe(pilot: Pilot[Any]) -> None:
    """The N+1 joins: only the note the coachee validated stays on screen."""
    await notes_taken(pilot)
    screen = session_screen(pilot)
    for note in screen.notes_list.notes:
        if note.visibility is Visibility.SHAREABLE:
            note.validate_by_coachee()
            screen.ef.update(note)
    screen.notes_list.set_notes(screen.notes_list.notes)
    await pilot.press("f2")
    await pilot.pause()


SCREENS: dict[str, Steps] = {
    "engagements": nothing,
    "engagement": engagement,
    "session_review": session_review,
    "session_field_notes": notes_taken,
    "debrief_notes": debrief,
    "session_sponsor_safe": sponsor_safe,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", SCREENS)
def test_screen(name: str, size: str, store: Store, snap_compare: Any) -> None:
    app = make_app(store)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=SCREENS[name])


@pytest.mark.parametrize("size", SIZES)
def test_unlock(size: str, store: Store, snap_compare: Any) -> None:
    assert snap_compare(AoiApp(store.root), terminal_size=SIZES[size], run_before=nothing)
