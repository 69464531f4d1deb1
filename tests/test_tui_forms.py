"""Forms where one key must never destroy what the coach typed or saved: the
first-use passphrase (two fields, cleared together), the framing (a Tab into a
saved name, an emptied field, ctrl+z, Escape), and the forms that must keep the
field in focus on screen at 80×24."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Input

from aoi_tui.domain.models import Competency, Engagement, Level, Objective
from aoi_tui.screens.app import AoiApp
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.screens.engagement import EngagementScreen
from aoi_tui.screens.engagements import EngagementsScreen
from aoi_tui.screens.follow_up import FollowUpScreen
from aoi_tui.screens.framing import FramingScreen
from aoi_tui.screens.unlock import FirstUseScreen
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.store.store import KEYS, Store
from tests.test_tui_lifecycle import go_to_tab
from tests.tui_support import (
    demo_id,
    freeze,
    make_app,
    on_screen,
    paste,
    screen_text,
    start_session,
    text_of,
    wait_for,
)

LONG = "a long enough passphrase"


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


# -- first use: the passphrase chosen twice ----------------------------------------------


async def test_a_too_short_passphrase_empties_both_fields_and_says_why(tmp_path: Path) -> None:
    app = AoiApp(tmp_path / "new")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FirstUseScreen)
        first, second = screen.query_one("#first", Input), screen.query_one("#second", Input)
        await pilot.press(*"short", "enter")  # said at once, not after the second field
        assert (first.value, second.value) == ("", "")
        assert screen.focused is first
        assert "at least 8 characters" in text_of(screen, "#message")
        assert "both fields are emptied" in text_of(screen, "#message")

        # the second field typed first (a click, a shift+tab): both emptied all the same
        second.value = "short"
        first.value = "short"
        second.focus()
        await pilot.press("enter")
        assert (first.value, second.value) == ("", "")
        assert screen.focused is first


async def test_two_different_passphrases_empty_both_fields_and_say_why(tmp_path: Path) -> None:
    app = AoiApp(tmp_path / "new")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FirstUseScreen)
        await paste(pilot, LONG + "x")  # a slip in the first
        await pilot.press("enter")
        await paste(pilot, LONG)
        await pilot.press("enter")
        first, second = screen.query_one("#first", Input), screen.query_one("#second", Input)
        assert (first.value, second.value) == ("", ""), "neither can be trusted"
        assert screen.focused is first
        message = text_of(screen, "#message")
        assert message.startswith("The two passphrases differ") and "both" in message


# -- framing: no key silently destroys saved text ---------------------------------------


async def open_framing(pilot: Pilot[Any]) -> FramingScreen:
    """From the list: the demo engagement, then `f`."""
    await on_screen(pilot, EngagementsScreen)
    await pilot.press("enter")
    await on_screen(pilot, EngagementScreen)
    await pilot.press("f")
    framing: FramingScreen = await on_screen(pilot, FramingScreen)
    return framing


def framed(store: Store) -> Engagement:
    """The demo engagement as on disk now."""
    fresh = Store(store.root, KeyFile.load(store.root / KEYS), store.master)
    return fresh.engagement(demo_id(store)).engagement()


def statements(store: Store) -> list[str]:
    fresh = Store(store.root, KeyFile.load(store.root / KEYS), store.master)
    return [o.statement for o in fresh.engagement(demo_id(store)).objectives()]


@pytest.fixture
def quick_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FramingScreen, "AUTOSAVE_S", 0.1)


async def test_tab_into_a_saved_name_then_a_letter_keeps_the_name(
    store: Store, quick_autosave: None
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot)
        for field in ("sponsor", "coach", "organisation"):
            await pilot.press("tab")
            focused = framing.focused
            assert isinstance(focused, Input) and focused.id == f"f-{field}"
            before = focused.value
            await pilot.press("x")
            assert focused.value == before + "x", "the saved text was selected, then replaced"
            await pilot.press("backspace")
        await pilot.pause(0.3)
    e = framed(store)
    assert (e.sponsor, e.coach) == ("Marc Dubois", "Claire Moreau")


async def test_ctrl_z_undoes_the_last_change_of_a_field(store: Store, quick_autosave: None) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot)
        sponsor = framing.query_one("#f-sponsor", Input)
        sponsor.focus()
        await pilot.press("ctrl+u", *"Paul")  # the name wiped, another typed
        await wait_for(pilot, lambda: framed(store).sponsor == "Paul", what="autosave")
        await pilot.press("ctrl+z")
        assert sponsor.value == "Pau"
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z")
        assert sponsor.value == "Marc Dubois"
        await wait_for(pilot, lambda: framed(store).sponsor == "Marc Dubois", what="saved back")


async def test_an_emptied_field_is_never_saved_as_typed(store: Store, quick_autosave: None) -> None:
    app = make_app(store)
    ef = store.engagement(demo_id(store))
    e = ef.engagement()
    e.planned_sessions = 12
    ef.update(e)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot)
        for field in ("coach", "organisation", "planned", "cadence"):
            framing.query_one(f"#f-{field}", Input).focus()
            await pilot.press("ctrl+u")
        await pilot.pause(0.5)
        saved = framed(store)
        assert saved.coach == "Claire Moreau" and saved.organisation
        assert (saved.planned_sessions, saved.cadence_days) == (12, e.cadence_days)
        assert "empty" in text_of(framing, "#framing-message")


async def test_escape_on_a_changed_framing_offers_to_revert_to_what_was_saved(
    store: Store, quick_autosave: None
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot)
        framing.query_one("#f-sponsor", Input).focus()
        await pilot.press("ctrl+u", *"Paul")
        framing.objectives.append(Objective(statement="Ajouté pendant la visite"))
        framing.removed.append((Objective, framing.objectives[0].id))
        removed = framing.objectives.pop(0)
        await wait_for(
            pilot,
            lambda: (
                "Ajouté pendant la visite" in statements(store) and framed(store).sponsor == "Paul"
            ),
            what="autosave",
        )
        assert removed.statement not in statements(store)
        await pilot.press("escape")
        await on_screen(pilot, ModalScreen, "the offer")
        shown = " ".join(screen_text(pilot).split())
        assert "Revert" in shown
        await pilot.press("escape")  # stay: the framing as it is
        assert app.screen is framing
        await pilot.press("escape")
        await on_screen(pilot, ModalScreen, "the offer")
        await pilot.press("r")
        await on_screen(pilot, EngagementScreen, "back, reverted")
    assert framed(store).sponsor == "Marc Dubois"
    # what was added goes, what was removed comes back, in its place
    assert "Ajouté pendant la visite" not in statements(store)
    assert statements(store)[0] == removed.statement


async def test_escape_on_an_unchanged_framing_leaves_at_once(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_framing(pilot)
        await pilot.press("escape")
        await on_screen(pilot, EngagementScreen, "back")


# -- at 80×24, the field in focus is on screen --------------------------------------------


def in_view(pilot: Pilot[Any], widget: Widget) -> bool:
    """Whether the coach sees `widget`: its middle is on screen and not covered (by
    the header, the footer, a tab's edge)."""
    region = widget.region
    if not region.area:
        return False
    x, y = region.x + region.width // 2, region.y + region.height // 2
    try:
        on_top, _ = pilot.app.screen.get_widget_at(x, y)
    except NoWidget:
        return False
    return on_top is widget or widget in on_top.ancestors_with_self


def tabs_line(pilot: Pilot[Any], tabbed: str) -> int:
    """The screen line the tab labels are on (1: right under the header)."""
    return pilot.app.screen.query_one(f"#{tabbed} ContentTabs").region.y


async def test_no_focus_stop_is_invisible_on_the_framing(store: Store) -> None:
    """A scroll container took the focus between the fields, showing nothing; and
    every field Tab reaches is on screen, not under the header or the footer."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot)
        for tab in ("tab-frame", "tab-agreement", "tab-competencies", "tab-objectives"):
            await go_to_tab(pilot, "framing-tabs", tab)
            for _ in range(9):
                await pilot.press("tab")
                focused = framing.focused
                assert focused is not None
                assert not isinstance(focused, VerticalScroll), f"{tab}: an invisible stop"
                await pilot.pause()
                assert in_view(pilot, focused), f"{tab}: #{focused.id} is out of view"


async def test_the_framing_tabs_stay_under_the_header(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        framing = await open_framing(pilot)
        framing.query_one("#f-format").focus()
        await pilot.press("enter")  # the dropdown opens...
        await pilot.pause()
        await pilot.press("escape")  # ... and closes
        await pilot.pause()
        framing.query_one("#f-programme").focus()  # the last field, at the bottom
        await pilot.pause()
        assert tabs_line(pilot, "framing-tabs") == 1, "the tab labels went under the header"
        assert "Frame  Expectations" in screen_text(pilot).splitlines()[1]


def many_competencies(store: Store, count: int = 12) -> None:
    ef = store.engagement(demo_id(store))
    for n in range(count):
        ef.insert(Competency(name=f"Compétence numéro {n:02}", target=Level.ACQUIRED))


async def test_the_debriefs_fsac_tab_follows_the_field_in_focus(store: Store) -> None:
    app = make_app(store)
    many_competencies(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_session(pilot)
        await pilot.press("f9")
        debrief = await on_screen(pilot, DebriefScreen)
        await go_to_tab(pilot, "tabs", "tab-fsac")
        levels = list(debrief.query(".fsac-level"))
        assert len(levels) > 20
        for select in [*levels[::5], levels[-1]]:
            select.focus()
            await pilot.pause()
            assert in_view(pilot, select), f"#{select.id} is off screen"
        await pilot.press("enter")  # the last one's dropdown opens where it is seen
        await pilot.pause()
        assert levels[-1].expanded
        assert in_view(pilot, levels[-1].query_one("SelectOverlay"))
        assert tabs_line(pilot, "tabs") == 1


async def test_the_follow_ups_fsac_tab_follows_the_row_in_focus(store: Store) -> None:
    app = make_app(store)
    many_competencies(store, 20)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, EngagementsScreen)
        await pilot.press("enter")
        await on_screen(pilot, EngagementScreen)
        await pilot.press("p")
        follow = await on_screen(pilot, FollowUpScreen)
        await go_to_tab(pilot, "follow-tabs", "tab-fsac")
        table = follow.query_one("#fsac", DataTable)
        table.focus()
        for _ in range(table.row_count):
            await pilot.press("down")
        await pilot.pause()
        assert "Compétence numéro 19" in screen_text(pilot)
        assert tabs_line(pilot, "follow-tabs") == 1
