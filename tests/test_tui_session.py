"""The live session, driven with the keyboard as a coach would: notes saved
without waiting, private by default, phases, roles and cards, editing with
undo, the long-note editor, the coachee's log, a crash and its resume, pasted
escape sequences, a full disk, and a whole session from review to handover."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from aoi_tui.domain.models import NoteKind, Role, Visibility
from aoi_tui.live.live_session import LiveSession
from aoi_tui.live.session_clock import current_index
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.screens.note_editor import NoteEditorScreen
from aoi_tui.screens.notes_list import NotesList
from aoi_tui.screens.resume import ResumeScreen
from aoi_tui.screens.role_balance import RoleBalanceScreen
from aoi_tui.screens.session import SessionScreen
from aoi_tui.secure import durable
from aoi_tui.store.store import INDEX, Store
from tests.tui_support import (
    demo_id,
    freeze,
    make_app,
    notes_list_text,
    notifications,
    on_screen,
    paste,
    screen_text,
    session_screen,
    settle,
    start_session,
    text_of,
    type_note,
    wait_for,
)

NEW_SESSION = 5  # the demo engagement holds four sessions


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def stepper_text(screen: SessionScreen) -> str:
    """The phase stepper as read (its names hold no-break spaces, so they wrap whole)."""
    return text_of(screen, "#stepper").replace("\xa0", " ")


def disk_notes(store: Store, number: int = NEW_SESSION) -> list:
    """The session's notes as stored (decrypted from the engagement's file)."""
    ef = store.engagement(demo_id(store))
    ef.storage.cache.drop(ef.path)  # read the disk, not this process's cache
    return ef.notes(number)


async def test_a_note_is_saved_private_and_listed(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        assert text_of(screen, "#next-note").startswith("Next note: PRIVATE · observation")
        await type_note(pilot, "Objectif rappelé", keys=True)

        assert screen.query_one("#note-input", Input).value == ""
        [line] = notes_list_text(screen)
        assert "saving" not in line
        assert line.startswith("private observation [Mirror]")
        assert line.endswith("Objectif rappelé")
        [note] = disk_notes(store)
        assert note.text == "Objectif rappelé"
        assert note.visibility is Visibility.PRIVATE
        assert note.kind is NoteKind.OBSERVATION
        assert note.role is Role.MIRROR
        assert note.phase == "review"
        assert note.validation is None


async def test_saving_never_blocks_typing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the disk is slow the note shows as saving… and the coach keeps typing."""
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        release = threading.Event()
        insert = type(screen.ef).insert

        def slow_insert(self, record):  # type: ignore[no-untyped-def]
            release.wait(5)
            insert(self, record)

        monkeypatch.setattr(type(screen.ef), "insert", slow_insert)
        await type_note(pilot, "first", submit=False, keys=True)
        await pilot.press("enter")
        await pilot.press(*"second one")
        assert screen.query_one("#note-input", Input).value == "second one"
        assert notes_list_text(screen)[0].startswith("saving… private observation")
        assert disk_notes(store) == []

        release.set()
        await settle(pilot, screen)
        assert notes_list_text(screen)[0].startswith("private observation")
        assert [n.text for n in disk_notes(store)] == ["first"]


async def test_f4_and_f3_set_the_next_note_in_words(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await pilot.press("f4")
        assert "SHAREABLE" in text_of(screen, "#next-note")
        await pilot.press("f4")
        assert "PRIVATE" in text_of(screen, "#next-note")
        await pilot.press("f4")
        await type_note(pilot, "Reformulé")
        await type_note(pilot, "Hésite")

        # the choice applies to one note: the next one is private again
        assert "PRIVATE" in text_of(screen, "#next-note")
        first, second = notes_list_text(screen)
        assert first.startswith("shareable observation")
        assert second.startswith("private observation")
        stored = {n.text: n for n in disk_notes(store)}
        assert stored["Reformulé"].visibility is Visibility.SHAREABLE
        assert not stored["Reformulé"].validated
        assert stored["Hésite"].visibility is Visibility.PRIVATE

        await pilot.press(*"Brie")  # F3 picks a quick kind, typing goes on
        await pilot.press("f3")
        assert " · success · " in text_of(screen, "#next-note")
        await pilot.press("f3")
        assert " · difficulty · " in text_of(screen, "#next-note")
        assert screen.focused is screen.query_one("#note-input", Input)
        await pilot.press(*"fé", "enter")
        await settle(pilot, screen)
        assert disk_notes(store)[-1].kind is NoteKind.DIFFICULTY
        assert disk_notes(store)[-1].text == "Briefé"
        assert " · observation · " in text_of(screen, "#next-note")


async def test_phase_keys_move_the_stepper_and_the_cards(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_session(pilot)
        assert stepper_text(screen).startswith("[1 Experience review 00:00/30′]")
        assert screen.query_one("#review-panel").display
        review_card = text_of(screen, "#card-title")
        assert review_card in {c.title for c in screen.cards.deck.suited("review", Role.MIRROR)}

        await pilot.press("f6")
        stepper = stepper_text(screen)
        assert "[2 Field work (shadow coaching) 00:00/120′]" in stepper
        assert "[1 " not in stepper
        assert text_of(screen, "#card-title") in {
            c.title for c in screen.cards.deck.suited("field", Role.MIRROR)
        }
        assert "› 3 Debriefing ›" in stepper  # the next phase keeps its name
        await pilot.resize_terminal(80, 24)
        await pilot.press("f6", "f5")  # redrawn at the new width
        narrow = stepper_text(screen)
        assert narrow.startswith("1 › [2 Field work (shadow coaching) 00:00/120′] › 3")
        assert "Debriefing" not in narrow, "at 80 columns the other phases are numbers"
        await pilot.resize_terminal(120, 40)
        assert not screen.query_one("#review-panel").display
        await type_note(pilot, "En atelier")
        assert "Field work" in notes_list_text(screen)[0]
        assert disk_notes(store)[0].phase == "field"

        await settle(pilot, screen)
        ef = store.engagement(demo_id(store))
        ef.storage.cache.drop(ef.path)
        assert current_index(ef.session(NEW_SESSION)) == 1

        await pilot.press("f5")
        assert stepper_text(screen).startswith("[1 Experience review")
        await pilot.press("f5")  # no phase before the first
        assert stepper_text(screen).startswith("[1 Experience review")


async def test_f7_f8_change_the_role_the_card_and_the_next_notes_tag(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        assert text_of(screen, "#card-role").startswith("Mirror")
        await pilot.press("f7")
        assert text_of(screen, "#card-role").startswith("Spur")
        assert text_of(screen, "#card-title") in {
            c.title for c in screen.cards.deck.suited("review", Role.SPUR)
        }
        assert text_of(screen, "#next-note").endswith("role: Spur")
        await type_note(pilot, "Un défi")

        await pilot.press("ctrl+t")  # the coach clears the tag for one note
        assert text_of(screen, "#next-note").endswith("role: none")
        await type_note(pilot, "Sans rôle")
        roles = {n.text: n.role for n in disk_notes(store)}
        assert roles == {"Un défi": Role.SPUR, "Sans rôle": None}
        assert "[Spur]" in notes_list_text(screen)[0]
        assert text_of(screen, "#next-note").endswith("role: Spur")

        first = text_of(screen, "#card-title")
        await pilot.press("f8")  # another card of the same role
        assert text_of(screen, "#card-title") != first  # no repeat while others fit
        await settle(pilot, screen)
        ef = store.engagement(demo_id(store))
        ef.storage.cache.drop(ef.path)
        # the balance counts what the coach asked for (F7, F8), not the card shown at start
        assert ef.session(NEW_SESSION).cards_drawn == {Role.SPUR: 2}


async def test_notes_list_edits_sharing_kind_and_role(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await type_note(pilot, "Une note")
        await pilot.press("tab")
        assert isinstance(screen.focused, NotesList)

        await pilot.press("space")
        await settle(pilot, screen)
        assert notes_list_text(screen)[0].startswith("shareable observation [Mirror]")
        assert disk_notes(store)[0].visibility is Visibility.SHAREABLE
        await pilot.press("f4")  # with the list focused, F4 is the highlighted note's sharing
        await settle(pilot, screen)
        assert disk_notes(store)[0].visibility is Visibility.PRIVATE
        assert "PRIVATE" in text_of(screen, "#next-note")  # the next note is untouched

        await pilot.press("k", "r")
        await settle(pilot, screen)
        [note] = disk_notes(store)
        assert (note.kind, note.role) == (NoteKind.SUCCESS, Role.SPUR)
        assert notes_list_text(screen)[0].startswith("private success [Spur]")


async def test_delete_and_undo(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await type_note(pilot, "Garder")
        await type_note(pilot, "Effacer")
        await pilot.press("tab")
        await pilot.press("end")  # highlight the last note
        await pilot.press("x")
        await settle(pilot, screen)
        assert [line.split(": ", 1)[1] for line in notes_list_text(screen)] == ["Garder"]
        assert [n.text for n in disk_notes(store)] == ["Garder"]
        assert "Note deleted — u to undo." in notifications(pilot)

        await pilot.press("u")
        await settle(pilot, screen)
        assert [line.split(": ", 1)[1] for line in notes_list_text(screen)] == [
            "Garder",
            "Effacer",
        ]
        assert sorted(n.text for n in disk_notes(store)) == ["Effacer", "Garder"]


async def test_editing_a_validated_note_clears_its_validation(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await pilot.press("f4")
        await type_note(pilot, "Point fait")
        await pilot.press("f9")  # the debrief: the coachee validates the note
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert disk_notes(store)[0].validated
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert notes_list_text(screen)[0].startswith("SHARED ✓")

        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press(*" ligne 3", "ctrl+o")
        await settle(pilot, screen)
        [note] = disk_notes(store)
        assert note.text == "Point fait ligne 3"
        assert note.visibility is Visibility.SHAREABLE
        assert not note.validated and not note.shared
        assert notes_list_text(screen)[0].startswith("shareable observation")


async def test_long_note_editor_saves_or_gives_the_text_back(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await pilot.press(*"Premier")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press("enter", *"Second", "escape")  # back, the text kept
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#note-input", Input).value == "Premier / Second"

        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("enter", *"- un point", "ctrl+o")
        await settle(pilot, screen)
        [note] = disk_notes(store)
        assert note.text == "Premier / Second\n- un point"
        assert screen.query_one("#note-input", Input).value == ""


async def test_a_long_note_saved_leaves_no_draft_to_come_back(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await pilot.press("ctrl+o")  # from an empty input
        await pilot.pause()
        await pilot.press(*"Ligne A", "enter", *"Ligne B")
        await pilot.pause(0.1)  # the editor saves its draft as typed
        await pilot.press("ctrl+o")
        await settle(pilot, screen)
        assert [n.text for n in disk_notes(store)] == ["Ligne A\nLigne B"]
        draft = LiveSession(screen.ef, NEW_SESSION).load_draft()
        assert draft is None or draft.text == "", "a resume would offer it again"


async def test_coachee_log_is_typed_in_and_shown_in_review(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_session(pilot)
        assert "— nothing yet —" in text_of(screen, "#review-text")
        await pilot.press("ctrl+l")
        await pilot.pause()
        await paste(pilot, "Briefing tenu")
        await pilot.press("ctrl+o")
        await settle(pilot, screen)
        assert "Briefing tenu" in text_of(screen, "#review-text")
        ef = store.engagement(demo_id(store))
        ef.storage.cache.drop(ef.path)
        assert ef.session(NEW_SESSION).coachee_log == "Briefing tenu"


async def test_crash_then_resume_restores_phase_and_draft(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await pilot.press("f6")
        await type_note(pilot, "Note sauvée")
        await pilot.press("f4")
        await pilot.press(*"Brouillon de fra")
        await settle(pilot, screen)
        # the link drops: aoi stops without the session being ended

    again = make_app(store)
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, ResumeScreen), what="resume offer")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(again.screen, SessionScreen), what="session")
        await pilot.pause()
        screen = session_screen(pilot)
        assert screen.number == NEW_SESSION
        assert screen.live.phase == "field"
        assert "[2 Field work" in stepper_text(screen)
        assert screen.query_one("#note-input", Input).value == "Brouillon de fra"
        assert "SHAREABLE" in text_of(screen, "#next-note")
        assert notes_list_text(screen)[0].endswith("Note sauvée")
        assert "Session resumed: the draft is back in the input." in notifications(pilot)

        await pilot.press(*"pper", "enter")
        await settle(pilot, screen)
        texts = {n.text: n.visibility for n in disk_notes(store)}
        assert texts == {
            "Note sauvée": Visibility.PRIVATE,
            "Brouillon de frapper": Visibility.SHAREABLE,
        }


async def test_later_on_the_resume_offer_keeps_the_session_open(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_session(pilot)

    again = make_app(store)
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, ResumeScreen), what="resume offer")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")  # resume from the list, later
        await wait_for(pilot, lambda: isinstance(again.screen, SessionScreen), what="session")


async def test_a_session_resumed_elsewhere_stops_this_window(store: Store) -> None:
    """A half-open SSH link: the old aoi still runs when the coach resumes elsewhere."""
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await type_note(pilot, "Avant")
        await paste(pilot, "Texte à garder")
        await settle(pilot, screen)
        elsewhere = LiveSession(screen.ef, NEW_SESSION)
        elsewhere.take()  # the new aoi resumes the session
        await wait_for(pilot, lambda: screen.taken_over, timeout=3, what="the takeover")
        assert text_of(screen, "#banner").startswith("THIS SESSION WAS RESUMED IN ANOTHER aoi")
        field = screen.query_one("#note-input", Input)
        assert field.value == "Texte à garder"  # the text stays on screen
        await pilot.press("enter", "f6")
        await settle(pilot, screen)
        assert [n.text for n in disk_notes(store)] == ["Avant"]
        assert elsewhere.load_draft().text == "Texte à garder"  # not overwritten
        assert screen.live.phase == "review"


async def test_a_debrief_resumed_elsewhere_stops_writing(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await type_note(pilot, "Avant")
        await settle(pilot, screen)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), what="debrief")
        await pilot.pause()
        LiveSession(screen.ef, NEW_SESSION).take()  # the coach resumed in another aoi

        await pilot.press("f3")  # make the note shareable: refused, said, back to the session
        await wait_for(pilot, lambda: app.screen is screen, what="back to the session")
        assert notifications(pilot)[-1].startswith("THIS SESSION WAS RESUMED IN ANOTHER aoi")
        assert screen.taken_over
        assert text_of(screen, "#banner").startswith("THIS SESSION WAS RESUMED IN ANOTHER aoi")
        assert [n.visibility for n in disk_notes(store)] == [Visibility.PRIVATE]


async def test_f2_in_a_debrief_resumed_elsewhere_saves_nothing(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await pilot.press("f9")
        debrief = await on_screen(pilot, DebriefScreen)
        debrief.query_one("#message", TextArea).load_text("Message de l'ancienne fenêtre")
        LiveSession(screen.ef, NEW_SESSION).take()  # the coach resumed in another aoi
        await pilot.press("f2")  # sponsor-safe would save the message first: refused
        await wait_for(pilot, lambda: app.screen is screen, what="back to the session")
        ef = store.engagement(demo_id(store))
        ef.storage.cache.drop(ef.path)
        assert ef.session(NEW_SESSION).sponsor_message == ""
        assert app.sponsor_safe  # the view changed all the same


async def test_pasted_escape_sequences_are_cleaned_and_text_is_never_markup(
    store: Store,
) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        field = screen.query_one("#note-input", Input)
        await paste(pilot, "Point\x1b]52;c;ZXZpbA==\x07 sécurité\x1b[31m rouge\x1b[0m\x9b fait\x07")
        await wait_for(pilot, lambda: "fait" in field.value, what="the paste")
        await pilot.pause()
        assert field.value == "Point sécurité rouge\ufffd fait\ufffd"
        await pilot.press("enter")
        await settle(pilot, screen)
        [note] = disk_notes(store)
        assert note.text == "Point sécurité rouge\ufffd fait\ufffd"
        assert notes_list_text(screen)[0].endswith("Point sécurité rouge\ufffd fait\ufffd")

        await type_note(pilot, "[bold]gras[/] $x")
        assert notes_list_text(screen)[1].endswith("[bold]gras[/] $x")
        assert disk_notes(store)[1].text == "[bold]gras[/] $x"


async def test_full_disk_shows_the_failure_and_keeps_the_text(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await paste(pilot, "Garder ce mot")
        await settle(pilot, screen)

        def full(*_args, **_kwargs):  # type: ignore[no-untyped-def]
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(durable.os, "replace", full)
        await pilot.press("enter")
        await settle(pilot, screen)
        [line] = notes_list_text(screen)
        assert line.startswith("NOT SAVED (Enter retries)")
        assert line.endswith("Garder ce mot")
        assert any(m.startswith("Could not save: the disk is full") for m in notifications(pilot))
        assert disk_notes(store) == []

        monkeypatch.undo()
        freeze(monkeypatch)
        await pilot.press("tab", "enter")  # retry from the list
        await settle(pilot, screen)
        assert not notes_list_text(screen)[0].startswith("NOT SAVED")
        assert [n.text for n in disk_notes(store)] == ["Garder ce mot"]


async def test_ending_a_session_when_only_the_list_cannot_be_updated(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await type_note(pilot, "Objectif rappelé")
        await settle(pilot, screen)
        real_replace = os.replace

        def full_for_the_index(src, dst):  # type: ignore[no-untyped-def]
            if Path(dst).name == INDEX:
                raise OSError(errno.ENOSPC, "No space left on device")
            real_replace(src, dst)

        monkeypatch.setattr(durable.os, "replace", full_for_the_index)
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, RoleBalanceScreen), what="balance")
        assert notifications(pilot)[-1].startswith(
            "Saved. The list of engagements could not be updated (the disk is full"
        )
        assert app.is_running
        ef = store.engagement(demo_id(store))
        ef.storage.cache.drop(ef.path)
        assert ef.session(NEW_SESSION).ended_at is not None
        assert [n.text for n in disk_notes(store)] == ["Objectif rappelé"]


async def test_a_whole_session_from_review_to_handover(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot)
        await type_note(pilot, "Plan Z")
        await pilot.press("f6")
        await pilot.press("f4")
        await type_note(pilot, "Face à l'équipe")
        await pilot.press("f6")
        assert screen.live.phase == "debrief"
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("f5")  # the coachee validates every shareable note
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f6")
        assert screen.live.phase == "handover"
        assert app.sponsor_safe  # the N+1 joins: private notes leave the screen
        assert screen.query_one("#note-input", Input).password  # what is typed is masked
        handover = text_of(screen, "#handover-text")
        assert "Face à l'équipe" in handover
        assert "Plan Z" not in handover
        assert [line.split(": ", 1)[1] for line in notes_list_text(screen)] == ["Face à l'équipe"]

        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, RoleBalanceScreen), what="balance")
        assert app.sponsor_safe  # the N+1 stays until F2: the balance counts private notes
        assert "2 notes" not in text_of(app.screen, "#balance")
        await pilot.press("f2")
        await pilot.pause()
        balance = text_of(app.screen, "#balance")
        assert "Mirror" in balance and "2 notes" in balance
        ef = store.engagement(demo_id(store))
        ef.storage.cache.drop(ef.path)
        assert ef.session(NEW_SESSION).ended_at is not None
        assert not (store.root / "live" / f"{ef.id}.lease").exists()
        await pilot.press("enter")
        await pilot.pause()
        assert store.summary(ef.id).sessions_held == 4


async def test_a_long_note_shows_whole_and_the_newest_in_view(store: Store) -> None:
    """The list wraps a long note whole (no cut without a sign) and scrolls to the note
    just taken, however many come before it."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot)
        long = " ".join(f"mot{i}" for i in range(60))
        await type_note(pilot, long)
        for i in range(6):
            await type_note(pilot, f"note {i}")
        lines = notes_list_text(screen)
        assert lines[0].split(": ", 1)[1] == long
        notes = screen.notes_list
        assert notes.highlighted == len(lines) - 1
        assert "note 5" in screen_text(pilot)
