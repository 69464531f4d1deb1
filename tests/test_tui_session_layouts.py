"""What asks Textual to lay the live session's screen out again (every widget
measured and placed): not the timers ticking once a second, nor the line above the
input at each Enter; a line of timers that may wrap otherwise still does."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from textual.widget import Widget

from aoi_tui.domain import clock
from aoi_tui.store.store import Store
from tests.tui_support import freeze, make_app, start_session, type_note


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def count_layouts(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The widgets (by id) that asked for a layout, and how often."""
    asked: Counter[str] = Counter()
    refresh = Widget.refresh

    def counted(self: Widget, *regions: Any, **kwargs: Any) -> Widget:
        if kwargs.get("layout"):
            asked[self.id or type(self).__name__] += 1
        return refresh(self, *regions, **kwargs)

    monkeypatch.setattr(Widget, "refresh", counted)
    return asked


async def test_the_timers_and_the_next_note_line_need_no_layout(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot)
        asked = count_layouts(monkeypatch)
        for second in range(1, 4):  # the timers tick: digits change, not the line's shape
            screen.stepper.show(screen.session, clock.now() + timedelta(seconds=second))
        assert asked["stepper"] == 0

        screen.stepper.show(screen.session, clock.now() + timedelta(hours=2))  # longer
        assert asked["stepper"] == 1

        await type_note(pilot, "Une note")
        assert asked["next-note"] == 0
        assert "Next note:" in str(screen.next_note.line.render())
