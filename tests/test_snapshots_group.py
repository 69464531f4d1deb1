"""Snapshots of a group's screens at 80x24 (issue 13 §4): the group's screen, a
collective session with the group in the room (notes about people not listed,
a note about a person being typed, masked), the same with the coach alone (whom
the note concerns said above the input), and the debrief with the group.
Deterministic as `test_snapshots.py` (fixed clock, card seed, no blinking)."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from textual.pilot import Pilot

from aoi_tui.demo import create_group_demo
from aoi_tui.screens.attendance import AttendanceScreen
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.screens.engagement import EngagementScreen
from aoi_tui.screens.session import SessionScreen
from aoi_tui.store.store import Store
from tests.tui_support import freeze, make_app, on_screen, session_screen, settle

SVGImageExtension.file_extension = "svg"
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


async def group_screen(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.press("down", "down", "enter")  # the group is the third of the list
    await on_screen(pilot, EngagementScreen)


async def attendance(pilot: Pilot[Any]) -> None:
    await group_screen(pilot)
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("enter")
    await on_screen(pilot, AttendanceScreen)
    await pilot.press("down", "space")  # Karim is away


async def group_in_the_room(pilot: Pilot[Any]) -> None:
    """Two notes for the group, one about Léa (not listed), one about Thomas being typed."""
    await attendance(pilot)
    await pilot.press("enter")
    screen = await on_screen(pilot, SessionScreen)
    await pilot.press(*"Le briefing tient en trois lignes", "f4", "enter")
    await pilot.press(*"@lé explique bien le réglage", "enter")
    await pilot.press(*"Chacun a dit un moment réussi", "enter")
    await settle(pilot, session_screen(pilot))
    await pilot.press(*"@th reste en retrait")
    await pilot.pause()
    pilot.app.clear_notifications()
    assert screen.notes_list.rows


async def coach_alone(pilot: Pilot[Any]) -> None:
    await group_in_the_room(pilot)
    await pilot.press("ctrl+b")
    await pilot.pause()
    pilot.app.clear_notifications()


async def debrief_with_the_group(pilot: Pilot[Any]) -> None:
    await group_in_the_room(pilot)
    await pilot.press("ctrl+u", "f9")
    await on_screen(pilot, DebriefScreen)
    await pilot.press("f4")
    await pilot.pause()
    pilot.app.clear_notifications()


SCREENS = {
    "group_screen": group_screen,
    "group_attendance": attendance,
    "group_session_group_in_the_room": group_in_the_room,
    "group_session_coach_alone": coach_alone,
    "group_debrief": debrief_with_the_group,
}


@pytest.mark.parametrize("name", SCREENS)
def test_group_screen(name: str, store: Store, snap_compare: Any) -> None:
    create_group_demo(store)
    app = make_app(store)
    assert snap_compare(app, terminal_size=SIZE, run_before=SCREENS[name])


def test_group_closing_with_the_n1(store: Store, snap_compare: Any) -> None:
    """A team's closing review with its N+1 in the room, validated by the four
    present: the group's objectives and competency only, the validation said
    without a name, what each takes away left for the coach alone."""
    from aoi_tui.screens.closing import ClosingScreen
    from tests.test_tui_group import a_group_closing
    from tests.tui_support import paste

    a_group_closing(store)

    async def validated_by_the_group(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("enter")  # the group, alone in the list
        await on_screen(pilot, EngagementScreen)
        await pilot.press("c")
        await on_screen(pilot, ClosingScreen)
        await paste(pilot, "L'équipe tient ses passations en dix minutes.")
        await pilot.press("f4")
        await pilot.pause()
        pilot.app.clear_notifications()

    app = make_app(store, demo=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=validated_by_the_group)
