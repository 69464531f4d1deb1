import pytest
from tests.tui_support import *
from tests.test_tui_debrief import open_debrief, go_to_tab

@pytest.fixture(autouse=True)
def _frozen(monkeypatch):
    freeze(monkeypatch)

async def test_probe(store):
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, [("A", False), ("B", True)])
        await pilot.press("down", "f4")
        await go_to_tab(pilot, screen, "tab-message")
        await paste(pilot, "Message convenu")
        await pilot.press("f4")
        await pilot.press("f6")
        await pilot.pause(0.5)
        print(app.screen, notifications(pilot))
        print(screen_text(pilot))
