"""Bursts on every input that saves (issue 10, §1): the keys of a whole write are
queued for the App before it handles the first, as the terminal driver does
with a chunk of input. The real-terminal tests (test_terminal_bursts.py) do the
same through tmux for the note input; these cover the other screens cheaply.

Before the fix each of these failed: the binding of Enter or ctrl+o ran after
the letters that followed it had gone into the field, and the screen emptied
the field over them."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import OptionList, TextArea

from aoi_tui.domain.models import Owner
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.screens.search import SearchScreen
from aoi_tui.store.store import Store
from tests.tui_support import (
    burst,
    demo_id,
    freeze,
    make_app,
    on_screen,
    settle,
    start_session,
    wait_for,
)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


async def test_a_long_note_and_the_notes_after_it_in_one_burst(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await burst(
            pilot,
            "text:avant",
            "enter",
            "ctrl+o",  # the long-note editor, its text typed and saved in the same write
            "text:ligne un",
            "enter",
            "text:ligne deux",
            "ctrl+o",
            "text:après",
            "enter",
            "text:brouillon",
        )
        await wait_for(pilot, lambda: len(screen.notes_list.notes) == 3, what="three notes")
        await settle(pilot, screen)
        saved = [n.text for n in screen.ef.notes(screen.number)]
        assert saved == ["avant", "ligne un\nligne deux", "après"]
        assert screen.query_one("#note-input").value == "brouillon"  # type: ignore[attr-defined]


async def test_the_coachee_log_saved_and_a_note_typed_in_the_same_burst(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await burst(pilot, "ctrl+l", "text:Semaine calme", "ctrl+o", "text:note", "enter")
        await wait_for(pilot, lambda: len(screen.notes_list.notes) == 1, what="a note")
        await settle(pilot, screen)
        assert screen.ef.session(screen.number).coachee_log == "Semaine calme"
        assert [n.text for n in screen.ef.notes(screen.number)] == ["note"]


async def test_debrief_actions_typed_in_one_burst(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_session(pilot)
        await burst(pilot, "f9")
        debrief = await on_screen(pilot, DebriefScreen)
        before = len(debrief.ef.actions())
        await burst(pilot, "f8", "f8")  # to the actions tab
        await pilot.pause()
        debrief.query_one("#action-text").focus()
        await pilot.pause()
        await burst(
            pilot,
            "text:Appeler le client",
            "enter",
            "text:Relancer l'équipe",
            "tab",
            "tab",
            "text:2026-12-15",
            "enter",
            "text:Préparer le bilan",
        )
        await wait_for(pilot, lambda: len(debrief.ef.actions()) == before + 2, what="2 actions")
        await pilot.pause()
        new = debrief.ef.actions()[before:]
        assert [a.text for a in new] == ["Appeler le client", "Relancer l'équipe"]
        assert [str(a.due) if a.due else None for a in new] == [None, "2026-12-15"]
        assert all(a.owner is Owner.COACHEE for a in new)
        assert debrief.query_one("#action-text").value == "Préparer le bilan"  # type: ignore[attr-defined]
        _ = screen


async def test_the_message_typed_then_the_next_tab_in_one_burst(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_session(pilot)
        await burst(pilot, "f9")
        debrief = await on_screen(pilot, DebriefScreen)
        await burst(pilot, "f8")  # the message tab
        await pilot.pause()
        debrief.query_one("#message", TextArea).focus()
        await pilot.pause()
        await burst(pilot, "text:Bonne semaine, suite au prochain point", "f8", "text:x")
        await wait_for(
            pilot,
            lambda: (
                debrief.ef.session(screen.number).sponsor_message
                == "Bonne semaine, suite au prochain point"
            ),
            what="the message saved",
        )


async def test_a_search_typed_and_run_in_one_burst(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await burst(pilot, "slash", "text:sécurité", "enter")
        search = await on_screen(pilot, SearchScreen)
        await wait_for(
            pilot, lambda: search.query_one("#hits", OptionList).option_count > 0, what="hits"
        )
        assert search.query_one("#query").value == "sécurité"  # type: ignore[attr-defined]
        _ = demo_id(store), asyncio
