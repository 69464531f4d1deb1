"""The live session's widgets, each on its own in a small App: the notes list
(its keys, its cache: what one change costs in a session of 2,000 notes), the
note being typed, the side panels and the banner, the card panel, the phase
stepper; and the session's writes said back as messages."""

from __future__ import annotations

import errno
import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Input

from aoi_tui import screens
from aoi_tui.domain import clock
from aoi_tui.domain.cards import Card, Deck
from aoi_tui.domain.models import (
    Action,
    Engagement,
    Note,
    NoteKind,
    Role,
    Session,
    SessionKind,
    Visibility,
)
from aoi_tui.live import session_clock
from aoi_tui.live.live_session import Draft, LiveSession
from aoi_tui.screens.card_panel import CardPanel
from aoi_tui.screens.live_run import (
    LiveRun,
    NoteSaved,
    SessionTakenOver,
    WriteFailed,
)
from aoi_tui.screens.note_editor import NoteEditorScreen
from aoi_tui.screens.note_input import NextNote, Words
from aoi_tui.screens.notes_list import NotesList
from aoi_tui.screens.phase_stepper import PhaseStepper
from aoi_tui.screens.session_panels import Banner, SidePanel, handover_text, review_text
from aoi_tui.secure import durable
from aoi_tui.store.store import Store
from tests.tui_support import (
    demo_id,
    freeze,
    make_app,
    notes_list_text,
    notifications,
    paste,
    screen_text,
    settle,
    start_session,
    text_of,
    type_note,
    wait_for,
)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


APP_CSS = Path(screens.__file__).parent / "app.tcss"


class Harness(App[None]):
    """One widget on its own, styled as in aoi; the messages it posts, in order."""

    CSS_PATH = APP_CSS

    def __init__(self, widget: Any) -> None:
        super().__init__()
        self.widget = widget
        self.heard: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.widget

    @on(NotesList.Write)
    @on(NextNote.Drafted)
    @on(NextNote.Taken)
    def _heard(self, message: Message) -> None:
        self.heard.append(message)


def notes(count: int, **fields: Any) -> list[Note]:
    start = clock.now()
    return [
        Note(
            session=1,
            phase="review",
            text=f"note {i}",
            created_at=start + timedelta(seconds=i),
            **fields,
        )
        for i in range(count)
    ]


# -- the notes list ------------------------------------------------------------------------


async def test_the_list_shows_each_note_with_its_state_and_moves_its_cursor() -> None:
    listed = notes(3)
    widget = NotesList(SessionKind.AOI)
    async with Harness(widget).run_test(size=(60, 10)) as pilot:
        widget.set_notes(listed, {listed[1].id: "failed"})
        await pilot.pause()
        assert widget.texts() == [
            "private observation Experience…: note 0",
            "NOT SAVED (Enter retries) private observation Experience…: note 1",
            "private observation Experience…: note 2",
        ]
        assert widget.highlighted == 2  # the newest, when nothing was highlighted
        widget.focus()
        await pilot.press("up", "up", "up")
        assert widget.highlighted == 0
        await pilot.press("end")
        assert widget.selected is listed[2]
        new = Note(session=1, phase="field", text="nouvelle", created_at=clock.now() + timedelta(1))
        widget.add(new)
        await pilot.pause()
        assert widget.selected is new
        assert widget.texts()[-1] == "saving… private observation Field work…: nouvelle"
        widget.set_state(new.id, "saved")
        assert widget.texts()[-1] == "private observation Field work…: nouvelle"


async def test_the_lists_keys_change_the_note_and_ask_for_its_write() -> None:
    listed = notes(2)
    widget = NotesList(SessionKind.AOI)
    app = Harness(widget)
    async with app.run_test(size=(60, 10)) as pilot:
        widget.set_notes(listed, {listed[0].id: "failed"})
        widget.focus()
        await pilot.pause()
        await pilot.press("space", "k", "r")  # the newest: shareable, success, Mirror
        await pilot.pause()
        note = listed[1]
        assert (note.visibility, note.kind, note.role) == (
            Visibility.SHAREABLE,
            NoteKind.SUCCESS,
            Role.MIRROR,
        )
        saves = [m for m in app.heard if isinstance(m, NotesList.Write)]
        assert [(m.note, m.how) for m in saves] == [(note, "update")] * 3
        assert widget.states[note.id] == "saving"

        await pilot.press("up", "enter")  # a note whose save failed: Enter tries again
        await pilot.pause()
        assert isinstance(app.heard[-1], NotesList.Write) and app.heard[-1].how == "insert"
        assert app.heard[-1].note is listed[0]

        app.heard.clear()
        widget.set_state(listed[0].id, "failed")
        await pilot.press("x")  # never stored: nothing to delete in the store
        await pilot.press("down", "x")  # stored: its delete is asked for
        await pilot.pause()
        assert widget.texts() == []
        assert [(type(m), m.how) for m in app.heard] == [(NotesList.Write, "delete")]
        await pilot.press("u")  # back, written whole again
        await pilot.pause()
        assert [n.text for n in widget.notes] == ["note 1"]
        assert isinstance(app.heard[-1], NotesList.Write) and app.heard[-1].how == "insert"

        widget.read_only = True  # taken over: the keys change nothing
        app.heard.clear()
        await pilot.press("space", "k", "x", "u")
        await pilot.pause()
        assert app.heard == []


async def test_the_list_shows_only_what_the_rule_keeps_and_drops_a_note_it_no_longer_keeps() -> (
    None
):
    listed = notes(3)
    listed[1].visibility = Visibility.SHAREABLE
    widget = NotesList(SessionKind.AOI)
    async with Harness(widget).run_test(size=(60, 10)) as pilot:
        widget.set_notes(listed)
        widget.show_only(lambda n: n.visibility is Visibility.SHAREABLE)
        await pilot.pause()
        assert widget.texts() == ["shareable observation Experience…: note 1"]
        widget.add(notes(1)[0])  # private: not shown
        widget.focus()
        await pilot.press("space")  # private again: it leaves the view
        await pilot.pause()
        assert widget.texts() == []
        widget.show_only(None)
        assert len(widget.texts()) == 4


async def test_a_long_note_wraps_whole_and_a_newline_starts_a_line() -> None:
    long = Note(session=1, phase="review", text=" ".join(f"mot{i}" for i in range(30)))
    lines = Note(session=1, phase="review", text="un\ndeux\ntrois", created_at=clock.now())
    widget = NotesList(SessionKind.AOI)
    async with Harness(widget).run_test(size=(40, 20)) as pilot:
        widget.set_notes([long, lines])
        await pilot.pause()
        shown = screen_text(pilot)
        assert "mot29" in shown and "trois" in shown
        assert widget.virtual_size.height == sum(r.height for r in widget.rows) > 6


async def test_one_change_in_a_list_of_2000_notes_measures_and_draws_that_note_alone() -> None:
    """The cost of a note saved, its state changing, an edit: one row measured, and
    no more rows drawn than the list shows. An OptionList measured all 2,000."""
    listed = notes(2000)
    widget = NotesList(SessionKind.AOI)
    async with Harness(widget).run_test(size=(80, 24)) as pilot:
        widget.set_notes(listed)
        await pilot.pause()
        assert len(widget.rows) == 2000 and "note 1999" in screen_text(pilot)
        in_view = widget.scrollable_content_region.height

        def costs() -> tuple[int, int]:
            return widget.measured, widget.drawn

        widget.measured = widget.drawn = 0
        new = Note(session=1, phase="review", text="qn0001", created_at=clock.now() + timedelta(1))
        widget.add(new)  # Enter
        await pilot.pause()
        after_enter = costs()
        widget.measured = widget.drawn = 0
        widget.set_state(new.id, "saved")  # saving… → saved
        await pilot.pause()
        after_saved = costs()
        widget.measured = widget.drawn = 0
        listed[1000].toggle_sharing()  # an edit far above the view
        widget.changed(listed[1000])
        await pilot.pause()
        after_edit = costs()
        print(f"2,000 notes, rows (measured, drawn): Enter {after_enter}, saved {after_saved}, edit {after_edit}, in view {in_view}")  # fmt: skip
        assert after_enter[0] == 1 and after_enter[1] <= in_view
        assert after_saved == (1, 1)  # the one row, drawn again where it is
        assert after_edit[0] == 1 and after_edit[1] <= in_view
        assert "qn0001" in screen_text(pilot)


async def test_in_a_session_of_2000_notes_enter_measures_one_note(store: Store) -> None:
    """The same through the session screen: a note typed and saved in a session of
    2,000 notes measures and draws that note alone (and the one it took the cursor from)."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot)
        with screen.ef.batch():
            for i in range(2000):
                screen.ef.insert(Note(session=screen.number, phase="review", text=f"old{i}"))
        screen.notes_list.set_notes(screen.ef.notes(screen.number))
        await pilot.pause()
        widget = screen.notes_list
        widget.measured = widget.drawn = 0
        await type_note(pilot, "qn0001")  # Enter, then saving… → saved
        in_view = widget.scrollable_content_region.height
        print(f"a session of 2,000 notes, one note typed and saved: {widget.measured} rows measured, {widget.drawn} drawn ({in_view} in view)")  # fmt: skip
        assert widget.measured <= 2  # the note: saving…, then saved
        assert widget.drawn <= in_view
        assert notes_list_text(screen)[-1].endswith("qn0001")
        assert len(widget.notes) == 2001


# -- the note being typed ------------------------------------------------------------------


async def test_the_next_note_says_what_it_will_be_and_enter_takes_it() -> None:
    widget = NextNote()
    app = Harness(widget)
    async with app.run_test(size=(80, 6)) as pilot:
        widget.input.focus()
        assert (
            text_of(app.screen, "#next-note") == "Next note: PRIVATE · observation · role: Mirror"
        )
        widget.next_kind()
        widget.toggle_visibility()
        widget.next_role()
        await pilot.pause()
        assert text_of(app.screen, "#next-note") == "Next note: SHAREABLE · success · role: Spur"
        widget.toggle_tag()
        await pilot.press(*"Point")
        await pilot.pause()
        drafted = [m.words for m in app.heard if isinstance(m, NextNote.Drafted)]
        assert drafted[-1].text == "Point" and drafted[-1].role is None
        app.heard.clear()
        await pilot.press("enter")
        await pilot.pause()
        taken = app.heard[0]
        assert isinstance(taken, NextNote.Taken)
        assert (taken.words.text, taken.words.kind, taken.words.visibility) == (
            "Point",
            NoteKind.SUCCESS,
            Visibility.SHAREABLE,
        )
        assert taken.words.role is None
        # then afresh: empty, private, an observation, tagged again; and the draft so
        assert widget.text == ""
        assert text_of(app.screen, "#next-note") == "Next note: PRIVATE · observation · role: Spur"
        after = [m for m in app.heard[1:] if isinstance(m, NextNote.Drafted)]
        assert after and after[-1].words.text == "" and after[-1].words.role is Role.SPUR


async def test_the_next_note_refuses_nothing_too_long_or_taken_over() -> None:
    widget = NextNote()
    app = Harness(widget)
    async with app.run_test(size=(80, 6)) as pilot:
        widget.input.focus()
        await pilot.press("space", "enter")
        widget.input.value = "x" * 100_001
        await pilot.press("enter")
        await pilot.pause()
        assert not [m for m in app.heard if isinstance(m, NextNote.Taken)]
        assert widget.text == "x" * 100_001  # said, and kept
        widget.input.value = "tenu"
        widget.read_only = True
        await pilot.press("enter")
        await pilot.pause()
        assert not [m for m in app.heard if isinstance(m, NextNote.Taken)]
        assert widget.input.disabled and widget.text == "tenu"
        assert not widget.line.display


async def test_the_next_note_masked_keeps_what_is_typed_and_a_paste_joined() -> None:
    widget = NextNote()
    app = Harness(widget)
    async with app.run_test(size=(80, 6)) as pilot:
        widget.input.focus()
        widget.masked = True
        await pilot.pause()
        assert widget.input.password and not widget.line.display
        await paste(pilot, "un\ndeux\n")
        assert widget.text == "un / deux"
        assert "deux" not in screen_text(pilot)
        widget.open_editor()  # no editor in view of the N+1
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditorScreen)
        widget.masked = False
        await paste(pilot, "trois\nquatre")  # several lines: the editor
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)


async def test_a_pasted_control_sequence_never_reaches_the_draft() -> None:
    widget = NextNote()
    app = Harness(widget)
    async with app.run_test(size=(80, 6)) as pilot:
        widget.input.focus()
        widget.input.value = "a\x1b[31mb"
        await pilot.pause()
        drafted = [m.words.text for m in app.heard if isinstance(m, NextNote.Drafted)]
        assert drafted == ["ab"] and widget.text == "ab"


# -- panels, banner, card, stepper -------------------------------------------------------


def record_session(number: int = 2) -> Session:
    session = Session.planned(SessionKind.AOI, number)
    session_clock.start(session, clock.now())
    return session


async def test_side_panels_and_the_banner_show_and_leave() -> None:
    class Panels(App[None]):
        CSS_PATH = APP_CSS

        def compose(self) -> ComposeResult:
            yield SidePanel(id="review-panel")
            yield Banner(id="banner")

    async with Panels().run_test(size=(60, 30)) as pilot:
        panel = pilot.app.query_one(SidePanel)
        session = record_session()
        session.coachee_log = "Semaine calme"
        earlier = Action(session=1, text="Relire le plan")
        panel.show(review_text(session, [earlier]))
        await pilot.pause()
        assert panel.display
        shown = screen_text(pilot)
        assert "Relire le plan" in shown and "Semaine calme" in shown
        panel.show(None)
        banner = pilot.app.query_one(Banner)
        banner.show(taken_over=False, sponsor_in_room=False, ended=False)
        await pilot.pause()
        assert not panel.display and not banner.display
        banner.show(taken_over=True, sponsor_in_room=True, ended=False)
        await pilot.pause()
        assert banner.display and "resumed" in str(banner.content).lower()


def test_the_handover_shows_only_what_reaches_the_n1() -> None:
    engagement = Engagement(coachee="Camille", sponsor="Julien", coach="Alex")
    session = record_session()
    shared, private = notes(2, visibility=Visibility.SHAREABLE)
    shared.validate_by_coachee()
    text = handover_text(engagement, session, [shared, private], []).plain
    assert "note 0" not in text and "note 1" not in text  # no consent yet: nothing
    engagement.agreement.consent_date = clock.today()
    text = handover_text(engagement, session, [shared, private], []).plain
    assert "note 0" in text and "note 1" not in text


async def test_the_card_panel_draws_a_card_of_the_role_for_the_phase() -> None:
    card = Card(id="c1", role=Role.SPUR, phases=("field",), title="Oser", text="**Ose**")
    panel = CardPanel(Deck([card]))
    async with Harness(panel).run_test(size=(40, 12)) as pilot:
        assert panel.draw("field", Role.SPUR) is card
        assert panel.draw("review", Role.MIRROR) is None
        await pilot.pause()
        assert "Mirror" in text_of(pilot.app.screen, "#card-role")
        assert text_of(pilot.app.screen, "#card-title") == "No card for this role in this phase."


async def test_the_stepper_names_the_phases_that_fit() -> None:
    stepper = PhaseStepper()
    async with Harness(stepper).run_test(size=(200, 4)) as pilot:
        stepper.show(record_session(), clock.now())
        await pilot.pause()
        wide = str(stepper.content).replace("\xa0", " ")
        assert "[1 Experience review 00:00/30′]" in wide and "2 Field work" in wide
        await pilot.resize_terminal(40, 4)
        stepper.show(record_session(), clock.now())
        await pilot.pause()
        narrow = str(stepper.content).replace("\xa0", " ")
        assert "› 2 › 3 › 4" in narrow and "Field work" not in narrow


# -- the writes, said back -------------------------------------------------------------------


class Results(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.heard: list[Message] = []

    @on(NoteSaved)
    @on(WriteFailed)
    @on(SessionTakenOver)
    def _heard(self, message: Message) -> None:
        self.heard.append(message)


def words(text: str) -> Words:
    return Words(text, NoteKind.OBSERVATION, Visibility.PRIVATE, None)


async def test_writes_come_back_as_saved_failed_or_taken_over(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_app(store)  # the demo engagement
    ef = store.engagement(demo_id(store))
    session = ef.new_session(SessionKind.AOI)
    app = Results()
    async with app.run_test() as pilot:
        run = LiveRun(ef, session, app)
        assert run.start(resume=False) is None
        note = run.new_note(words("gardée"))
        run.note(note, "insert")
        run.drain()
        await wait_for(pilot, lambda: len(app.heard) == 1)
        assert isinstance(app.heard[0], NoteSaved) and app.heard[0].note_id == note.id

        def full(*args: Any, **kwargs: Any) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(durable.os, "fsync", full)
        note.edit("plus tard")
        run.note(note, "update")
        run.drain()
        monkeypatch.undo()
        await wait_for(pilot, lambda: len(app.heard) == 2)
        failed = app.heard[1]
        assert isinstance(failed, WriteFailed) and failed.note_id == note.id

        LiveSession(ef, session.number).take()  # resumed in another aoi
        run.draft(words("mot"))
        run.drain()
        await wait_for(pilot, lambda: len(app.heard) == 3)
        taken = app.heard[2]
        assert isinstance(taken, SessionTakenOver) and taken.note_id is None
        run.close()


async def test_a_draft_is_never_coalesced_across_a_note(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drafts queued one after another keep the last; a note between them keeps
    both sides: the draft before it is written before it."""
    make_app(store)
    ef = store.engagement(demo_id(store))
    session = ef.new_session(SessionKind.AOI)
    written: list[str] = []
    app = Results()
    async with app.run_test():
        run = LiveRun(ef, session, app)
        run.start(resume=False)
        run.writer.submit(lambda: time.sleep(0.2), lambda _: None, lambda _: None)  # busy
        real_save = run.lease.save_draft

        def save_draft(draft: Draft) -> None:
            written.append(draft.text)
            real_save(draft)

        monkeypatch.setattr(run.lease, "save_draft", save_draft)
        for text in ("a", "ab", "abc"):
            run.draft(words(text))
        run.note(run.new_note(words("abc")), "insert")
        run.draft(words(""))
        run.drain()
        run.close()
    assert written == ["abc", ""]
    assert [n.text for n in ef.notes(session.number)] == ["abc"]


async def test_the_session_screen_routes_a_typed_note_to_the_list_and_the_disk(
    store: Store,
) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await pilot.press("f3", "f4")
        await type_note(pilot, "Vu", keys=True)
        await settle(pilot, screen)
        assert notes_list_text(screen)[-1].startswith("shareable success [Mirror]")
        assert screen.ef.notes(screen.number)[-1].kind is NoteKind.SUCCESS
        assert isinstance(screen.focused, Input)
        assert "NOT SAVED" not in " ".join(notifications(pilot))
