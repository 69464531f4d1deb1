"""Forms where one key must never destroy what the coach typed or saved: the
first-use passphrase (two fields, cleared together), the framing (a Tab into a
saved name, an emptied field, ctrl+z, Escape), and the forms that must keep the
field in focus on screen at 80×24."""

from __future__ import annotations

from pathlib import Path

import pytest
from aoi_tui.screens.app import AoiApp
from aoi_tui.screens.unlock import FirstUseScreen
from textual.widgets import Input

from tests.tui_support import freeze, paste, text_of

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
