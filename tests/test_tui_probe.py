import pytest
from tests.tui_support import freeze, make_app, start_session, type_note, notes_list_text, screen_text

@pytest.fixture(autouse=True)
def _frozen(monkeypatch):
    freeze(monkeypatch)

async def test_probe(store):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print(screen_text(pilot))
        s = await start_session(pilot)
        await type_note(pilot, "hello there")
        print(notes_list_text(s))
        print(screen_text(pilot))
