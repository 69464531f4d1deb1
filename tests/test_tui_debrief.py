"""The debrief with the coachee: sharing and validation of notes, the message
for the N+1, actions, and the preview of exactly what the sponsor receives."""

from __future__ import annotations

import errno

import pytest
from textual.widgets import DataTable, Input, Tabs, TextArea

from aoi_tui.domain.models import ActionStatus, Owner, Visibility
from aoi_tui.screens.debrief import DebriefScreen, PreviewScreen
from aoi_tui.screens.debrief_notes import DebriefNotes
from aoi_tui.secure import durable
from aoi_tui.store.store import Store
from tests.tui_support import (
    demo_id,
    freeze,
    make_app,
    notifications,
    paste,
    screen_text,
    start_session,
    text_of,
    type_note,
    wait_for,
)

NEW_SESSION = 5


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def rows(screen: DebriefScreen, table_id: str) -> list[list[str]]:
    if table_id == "debrief-notes":  # drawn a line at a time (debrief_notes.py)
        return screen.query_one("#debrief-notes", DebriefNotes).texts()
    table = screen.query_one(f"#{table_id}", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def fresh(store: Store):  # type: ignore[no-untyped-def]
    ef = store.engagement(demo_id(store))
    ef.storage.cache.drop(ef.path)
    return ef


async def open_debrief(pilot, notes: list[tuple[str, bool]]) -> DebriefScreen:  # type: ignore[no-untyped-def]
    """A new session with these notes (text, shareable?), then F9."""
    await start_session(pilot)
    for text, shareable in notes:
        if shareable:
            await pilot.press("f4")
        await type_note(pilot, text)
    await pilot.press("f9")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, DebriefScreen), what="debrief")
    await pilot.pause()
    return pilot.app.screen


async def go_to_tab(pilot, screen: DebriefScreen, tab: str) -> None:  # type: ignore[no-untyped-def]
    """Focus the tab strip and move along it with the arrows, as with the keyboard."""
    tabs = screen.query_one(Tabs)
    while screen.focused is not tabs:
        await pilot.press("shift+tab")
    while screen.query_one("#tabs").active != tab:
        await pilot.press("right")
    await pilot.press("tab")
    await pilot.pause()


async def test_the_coachee_validates_a_shareable_note(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, [("Note privée", False), ("Note à partager", True)])
        assert rows(screen, "debrief-notes") == [
            ["private", "—", "observation", "Note privée"],
            ["shareable", "—", "observation", "Note à partager"],
        ]
        assert screen.focused is screen.query_one("#debrief-notes", DebriefNotes)

        await pilot.press("f4")  # on the private note: refused, with the reason
        assert "make it shareable (F3)" in notifications(pilot)[-1]
        assert not any(n.validation for n in fresh(store).notes(NEW_SESSION))

        await pilot.press("down", "f4")
        assert rows(screen, "debrief-notes")[1][:2] == ["shareable", "validated"]
        stored = {n.text: n for n in fresh(store).notes(NEW_SESSION)}
        assert stored["Note à partager"].shared
        assert not stored["Note privée"].validated

        await pilot.press("f3")  # made private again: the validation goes
        assert rows(screen, "debrief-notes")[1][:2] == ["private", "—"]
        assert (
            not fresh(store).get(type(stored["Note privée"]), stored["Note à partager"].id).shared
        )


async def test_the_whole_text_under_the_cursor_is_read_at_80_columns(store: Store) -> None:
    long = "La consigne est donnée face à l'équipe, chacun la reformule, puis le point sécurité"
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_debrief(pilot, [("Courte", True), (long, True)])
        assert long not in screen_text(pilot).replace("\n", " ")  # cut in the table...
        await pilot.press("down")
        await pilot.pause()
        assert text_of(screen, "#note-detail") == long  # ...and whole under it
        assert "sécurité" in screen_text(pilot)  # the last word, on screen, wrapped
        await pilot.press("up")
        await pilot.pause()
        assert text_of(screen, "#note-detail") == "Courte"


async def test_validate_all_shareable_notes_at_once(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, [("Un", True), ("Deux", False), ("Trois", True)])
        await pilot.press("f5")
        assert "2 notes validated by the coachee." in notifications(pilot)
        assert [r[1] for r in rows(screen, "debrief-notes")] == ["validated", "—", "validated"]
        shared = {n.text for n in fresh(store).notes(NEW_SESSION) if n.shared}
        assert shared == {"Un", "Trois"}


async def test_the_message_for_the_n1_is_validated_and_an_edit_asks_again(
    store: Store,
) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, [("Note", True)])
        await go_to_tab(pilot, screen, "tab-message")
        assert isinstance(screen.focused, TextArea)
        assert text_of(screen, "#message-state").startswith("No message for the N+1 yet")

        await paste(pilot, "Briefing en place.")
        await pilot.press("f4")
        assert text_of(screen, "#message-state") == "Message validated by the coachee."
        session = fresh(store).session(NEW_SESSION)
        assert session.sponsor_message == "Briefing en place."
        assert session.sponsor_message_validated

        await pilot.press(*" Suite")
        await go_to_tab(pilot, screen, "tab-notes")  # leaving the tab saves the message
        session = fresh(store).session(NEW_SESSION)
        assert session.sponsor_message == "Briefing en place. Suite"
        assert not session.sponsor_message_validated
        await go_to_tab(pilot, screen, "tab-message")
        assert text_of(screen, "#message-state").startswith("Message written — awaiting")

        area = screen.query_one(TextArea)
        area.load_text("")
        await paste(pilot, "Bien\x1b]8;;http://x\x07 joué\x1b[2J")  # pasted escapes leave
        await wait_for(pilot, lambda: "joué" in area.text, what="the paste")
        assert area.text == "Bien joué"
        await pilot.press("f4")
        assert fresh(store).session(NEW_SESSION).sponsor_message == "Bien joué"


async def test_a_full_disk_in_the_debrief_is_said_and_loses_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, [("Note", True)])
        await go_to_tab(pilot, screen, "tab-message")
        await paste(pilot, "Briefing en place.")

        def full(*_args, **_kwargs):  # type: ignore[no-untyped-def]
            raise OSError(errno.ENOSPC, "No space left on device")

        with monkeypatch.context() as m:
            m.setattr(durable.os, "replace", full)
            await pilot.press("f4")  # validate the message
            await pilot.pause()
            assert notifications(pilot)[-1].startswith("Not saved: the disk is full")
            await pilot.press("escape")  # leaving would lose the text: the debrief stays
            await pilot.pause()
            assert app.screen is screen and app.is_running
            assert screen.query_one("#message", TextArea).text == "Briefing en place."
            assert fresh(store).session(NEW_SESSION).sponsor_message == ""

        await pilot.press("f4")  # room again: the same key saves what is on screen
        await pilot.pause()
        session = fresh(store).session(NEW_SESSION)
        assert session.sponsor_message == "Briefing en place."
        assert session.sponsor_message_validated


async def test_the_preview_shows_only_what_is_shared(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(
            pilot,
            [
                ("SECRET privé", False),
                ("Partageable non validé", True),
                ("Validé par Camille", True),
            ],
        )
        await pilot.press("down", "down", "f4")
        await go_to_tab(pilot, screen, "tab-message")
        await paste(pilot, "Message convenu")
        await pilot.press("f4")
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen), what="preview")
        report = app.screen.markdown
        assert "Validé par Camille" in report
        assert "Message convenu" in report
        assert "SECRET privé" not in report
        assert "Partageable non validé" not in report
        # earlier sessions: what the coachee validated, never a private note
        assert "Le briefing du lundi a été tenu en 10 minutes" in report
        assert "Camille évite la discussion" not in report
        assert "Relire mes notes sur la légitimité" not in report  # the coach's own action
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_actions_until_next_session(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, [])
        await go_to_tab(pilot, screen, "tab-actions")
        assert screen.focused is screen.query_one("#actions", DataTable)
        screen.query_one("#action-text", Input).focus()
        await paste(pilot, "Tester le plan B")
        await pilot.press("tab", "tab")
        await paste(pilot, "2026-12-01")
        await pilot.press("enter")
        await pilot.pause()
        [action] = fresh(store).actions(NEW_SESSION)
        assert (action.text, action.owner, str(action.due)) == (
            "Tester le plan B",
            Owner.COACHEE,
            "2026-12-01",
        )
        assert action.visibility is Visibility.PRIVATE
        assert rows(screen, "actions")[-1] == [
            "open",
            "coachee",
            "2026-12-01",
            "private",
            "—",
            "Tester le plan B",
        ]

        table = screen.query_one("#actions", DataTable)
        table.focus()
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("f7")
        assert fresh(store).get(type(action), action.id).status is ActionStatus.DONE
        await pilot.press("f3", "f4")
        assert fresh(store).get(type(action), action.id).shared


async def test_sponsor_safe_in_the_debrief_shows_only_shared_notes(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, [("Privée", False), ("Partagée", True)])
        await pilot.press("down", "f4", "f2")
        assert [r[3] for r in rows(screen, "debrief-notes")] == ["Partagée"]
        await pilot.press("f2")
        assert [r[3] for r in rows(screen, "debrief-notes")] == ["Privée", "Partagée"]
