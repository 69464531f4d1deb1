"""The footer (`screens/base.py` Footer) is composed again only when the keys it
shows change: once as the live session's screen or the debrief opens (Textual's
composed its keys five and seven times), and again when the focus brings other keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.widgets import Footer as TextualFooter

from aoi_tui.screens.base import Footer
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.store.store import Store
from tests.tui_support import freeze, make_app, screen_text, start_session, wait_for


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def count_compositions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The screens whose footer composed its keys, one entry each time."""
    composed: list[str] = []
    textual_recompose: Callable[[Any], Awaitable[None]] = TextualFooter.recompose

    async def recompose(self: TextualFooter) -> None:
        if self.is_attached:
            composed.append(type(self.screen).__name__)
        await textual_recompose(self)

    monkeypatch.setattr(TextualFooter, "recompose", recompose)
    return composed


async def test_the_footer_is_composed_once_per_screen_and_follows_the_focus(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    composed = count_compositions(monkeypatch)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        composed.clear()
        screen = await start_session(pilot)
        await pilot.pause()
        assert composed.count("SessionScreen") == 1
        assert isinstance(screen.query_one(Footer), Footer)

        composed.clear()
        await pilot.press(*"note")  # typing changes no key
        await pilot.pause()
        assert composed == []

        screen.notes_list.focus()  # the list's own keys come into the footer
        await pilot.pause()
        assert composed == ["SessionScreen"]
        assert "Delete" in screen_text(pilot)

        composed.clear()
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), what="debrief")
        await pilot.pause()
        assert composed.count("DebriefScreen") == 1
        assert "Validate all" in screen_text(pilot)
