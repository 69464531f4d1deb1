"""A note's write waits for a pause in the typing (`live_run.QUIET_S`): the whole
engagement file is rewritten then, and at 2,000 notes its encoding held Python's
lock while the next key waited. Meanwhile the draft on disk still holds the note's
words; whoever waits for the writes (F9, Escape, the end, quitting) has them
written at once, in order."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input

from aoi_tui.screens import live_run
from aoi_tui.store.store import Store
from tests.tui_support import freeze, make_app, paste, start_session, wait_for


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def stored_texts(live: live_run.LiveRun) -> list[str]:
    ef = live.ef
    ef.storage.cache.drop(ef.path)  # what the file holds, not what this aoi remembers
    return [n.text for n in ef.notes(live.number)]


async def test_a_note_waits_for_a_pause_and_its_words_stay_in_the_draft(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_run, "QUIET_S", 600.0)  # no pause comes in this test
    monkeypatch.setattr(live_run, "LONGEST_WAIT_S", 600.0)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot)
        live = screen.live
        screen.query_one("#note-input", Input).focus()
        await paste(pilot, "Une note")

        def draft() -> str | None:
            found = live.lease.load_draft()
            return None if found is None else found.text

        await wait_for(pilot, lambda: draft() == "Une note", what="the draft on disk")

        await pilot.press("enter", *"sui")  # the next note typed at once
        await pilot.pause()
        assert "Une note" not in stored_texts(live)  # not yet: the coach is typing
        assert draft() == "Une note"  # a crash now loses nothing
        assert list(screen.notes_list.states.values())[-1] == "saving"

        await asyncio.to_thread(live.drain)  # F9, Escape, the end: written at once
        assert stored_texts(live)[-1] == "Une note"
        assert draft() == "sui"
        await wait_for(
            pilot,
            lambda: list(screen.notes_list.states.values())[-1] == "saved",
            what="the note shown saved",
        )
