"""The live session. Its parts are widgets that keep their own state: the phases
(`phase_stepper`), the card of the coach's role (`card_panel`), the notes
(`notes_list`), the note being typed (`note_input`), the review, the handover
and the banner (`session_panels`). This screen holds the session record and
its lease, routes the keys, and writes through `SessionWrites`, whose results
come back as messages: typing never waits for the disk."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header

from aoi_tui.config.i18n import language, t
from aoi_tui.domain import clock
from aoi_tui.domain.allow_list import reaches
from aoi_tui.domain.cards import CardFileError, Deck, load_deck
from aoi_tui.domain.models import Note, NoteKind, Role, Visibility
from aoi_tui.domain.phases import debrief_index
from aoi_tui.domain.text import clean
from aoi_tui.domain.vocabulary import Room
from aoi_tui.live import session_clock
from aoi_tui.live.live_session import Draft, LiveSession, TakenOver
from aoi_tui.screens.base import AoiScreen, failures_said
from aoi_tui.screens.card_panel import CardPanel
from aoi_tui.screens.note_input import NextNote
from aoi_tui.screens.notes_list import NotesList
from aoi_tui.screens.phase_stepper import PhaseStepper
from aoi_tui.screens.resume import ConfirmScreen
from aoi_tui.screens.session_panels import Banner, SidePanel, handover_text, review_text
from aoi_tui.screens.session_writes import NoteSaved, SessionTakenOver, SessionWrites, WriteFailed

PHASE_KEYS = Binding.Group(t("ui.key.phase"), compact=True)


class SessionScreen(AoiScreen[None]):
    # The footer at 80 columns: the function keys in order, F2 first (the N+1 walks
    # in); F7/F8 are on the card panel's header, Quit in the palette.
    BINDINGS = [
        Binding("f2", "app.toggle_sponsor_safe", t("ui.key.sponsor_safe"), id="session.sponsor_safe"),
        Binding("f3", "next_kind", t("ui.key.kind"), id="session.kind"),
        Binding("f4", "toggle_share", t("ui.key.share"), id="session.share", tooltip=t("ui.palette.share")),
        Binding("f5", "phase(-1)", t("ui.key.prev_phase"), id="session.prev_phase", tooltip=t("ui.palette.prev_phase"), group=PHASE_KEYS),
        Binding("f6", "phase(1)", t("ui.key.next_phase"), id="session.next_phase", tooltip=t("ui.palette.next_phase"), group=PHASE_KEYS),
        Binding("f9", "debrief", t("ui.key.debrief"), id="session.debrief"),
        Binding("f10", "end", t("ui.key.end"), id="session.end", tooltip=t("ui.palette.end")),
        Binding("f7", "next_role", t("ui.key.role"), id="session.role", show=False),
        Binding("f8", "draw", t("ui.key.draw"), id="session.draw", tooltip=t("ui.palette.draw"), show=False),
        Binding("ctrl+q", "app.quit", t("ui.key.quit"), id="session.quit", show=False),
        Binding("ctrl+t", "toggle_tag", t("ui.key.tag"), id="session.tag", show=False),
        Binding("ctrl+o", "editor", t("ui.key.editor"), id="session.editor", show=False),
        Binding("ctrl+l", "coachee_log", t("ui.key.log"), id="session.log", show=False),
        Binding("escape", "leave", t("ui.key.back"), id="session.back", show=False),
        Binding("pageup", "scroll_panel(-1)", t("ui.key.scroll"), id="session.scroll_up", show=False),
        Binding("pagedown", "scroll_panel(1)", t("ui.key.scroll"), id="session.scroll_down", show=False),
    ]  # fmt: skip

    def __init__(
        self, engagement_id: str, number: int, resume: bool, focus_note: str | None = None
    ) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.number = number
        self.resume = resume
        """Opened to resume: the draft left in the input is put back."""
        self.focus_note = focus_note
        """A search result: this note under the list's cursor."""
        self.ef = self.aoi.unlocked.engagement(engagement_id)
        self.session = self.ef.session(number)
        self.live = LiveSession(self.ef, number)
        self.writer = SessionWrites(self.live, self)
        self.taken_over = False
        """Another aoi resumed the session: nothing more is written from here."""
        self.debrief_left: object | None = None
        """The engagement file's stamp when the debrief opened (it may change notes)."""
        self.deck_problem: str | None = None
        try:
            self.deck = load_deck(language())
        except CardFileError as exc:
            self.deck, self.deck_problem = Deck([]), str(exc)
        self.stepper = PhaseStepper(id="stepper")
        self.notes_list = NotesList(self.session.kind, id="notes")
        self.next_note = NextNote(id="next")
        self.cards = CardPanel(self.deck, id="cards")
        self.review = SidePanel(id="review-panel")  # docked over the notes
        self.handover = SidePanel(id="handover-panel")
        self.banner = Banner(id="banner")

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.stepper
        with Horizontal(id="session-main"):
            with Vertical(id="left"):
                yield self.notes_list
                yield self.review
                yield self.handover
            yield self.cards
        yield self.banner
        yield self.next_note
        yield Footer(compact=True)

    def on_mount(self) -> None:
        kind = t(f"session.kind.{self.session.kind.value}")
        self.sub_title = f"{self.ef.engagement().coachee} · {kind} {self.number}"
        if self.deck_problem:
            self.notify(self.deck_problem, severity="error", timeout=10)
        self.notes_list.set_notes(self.ef.notes(self.number))
        if self.session.ended_at is None:
            self.live.take()
            if self.session.started_at is None:
                session_clock.start(self.session, clock.now())
                self.writer.session(self.session)
            draft = self.live.load_draft() if self.resume else None
            if draft is not None:
                self._restore_draft(draft)
        self.draw_card()
        self.room_changed(self.aoi.room)
        self.tick()
        self.set_interval(1.0, self.tick)
        self.next_note.input.focus()
        if self.focus_note is not None and self.notes_list.highlight(self.focus_note):
            self.notes_list.focus()  # hidden in the sponsor-safe view, or deleted: not found

    def _restore_draft(self, draft: Draft) -> None:
        role = Role(draft.role) if draft.role else None
        kind, visibility = NoteKind(draft.kind), Visibility(draft.visibility)
        self.next_note.restore(draft.text, kind, visibility, role)
        resumed = "ui.session.resumed" if draft.text.strip() else "ui.session.resumed_empty"
        self.notify(t(resumed), timeout=3)

    def on_unmount(self) -> None:
        self.writer.close()

    @property
    def phase(self) -> str:
        return self.session.phases[session_clock.current_index(self.session)].phase

    # -- what is on screen -------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: the timers, and whether another aoi took the session over."""
        now = clock.now() if self.session.ended_at is None else self.session.ended_at
        self.stepper.show(self.session, now)
        if self.session.ended_at is None and not self.taken_over:
            try:
                self.live.check()
            except TakenOver as exc:
                self.lose(str(exc))

    def room_changed(self, room: Room) -> None:
        engagement = self.ef.engagement()  # what the N+1 may see: the one allow-list
        self.notes_list.show_only(None if room is Room.COACH else lambda n: reaches(n, engagement))
        self.show_panels()

    def refresh_sponsor_safe(self) -> None:
        """Called by the App's watcher of `room`; `room_changed` does it all now."""

    def show_panels(self) -> None:
        """The banner, the input's mask, the review's reminders and the handover."""
        safe = self.aoi.room is not Room.COACH
        ended = self.session.ended_at is not None
        self.banner.show(taken_over=self.taken_over, sponsor_in_room=safe, ended=ended)
        self.next_note.masked, self.next_note.read_only = safe, self.taken_over
        if self.focused is None:
            self.next_note.input.focus()
        first = session_clock.current_index(self.session) == 0
        review = first and not safe and self.session.kind.value in ("aoi", "coaching")
        handover = self.phase == "handover"
        actions = self.ef.actions() if review or handover else []
        panel = self.query_one("#review-panel", SidePanel)
        panel.show(review_text(self.session, actions) if review else None)
        panel = self.query_one("#handover-panel", SidePanel)
        engagement = self.ef.engagement() if handover else None
        panel.show(
            handover_text(engagement, self.session, self.notes_list.notes, actions)
            if engagement
            else None
        )

    def lose(self, message: str) -> None:
        """Another aoi resumed this session: stop writing, say so, keep the text on screen."""
        if self.taken_over:
            return
        self.taken_over = self.notes_list.read_only = True
        # the banner says it in full (a toast would cover it at 80x24); pid and host: the log
        self.log.warning(message)
        self.show_panels()

    # -- writes and how they went --------------------------------------------------------

    @on(NextNote.Drafted)
    def save_draft(self, message: NextNote.Drafted) -> None:
        """The next note as it stands, kept as a draft: typing never loses a word."""
        if self.session.ended_at is None and not self.taken_over:
            w = message.words
            tag = w.role.value if w.role else None
            draft = Draft(self.number, self.phase, w.text, w.kind.value, w.visibility.value, tag)
            self.writer.draft(draft)

    @on(NextNote.Taken)
    def save_new_note(self, message: NextNote.Taken) -> None:
        """A note taken: listed as saving (private unless F4 said otherwise), written."""
        w = message.words
        phase, visibility = self.phase, w.visibility
        note = Note(session=self.number, phase=phase, text=w.text, role=w.role, kind=w.kind, visibility=visibility)  # fmt: skip
        self.notes_list.add(note)
        self.writer.note(note, insert=True)

    @on(NotesList.Save)
    def note_changed(self, message: NotesList.Save) -> None:
        self.writer.note(message.note, insert=message.insert)

    @on(NotesList.Delete)
    def note_deleted(self, message: NotesList.Delete) -> None:
        self.writer.delete(message.note)

    @on(NoteSaved)
    def note_saved(self, message: NoteSaved) -> None:
        self.notes_list.set_state(message.note_id, "saved")

    @on(WriteFailed)
    @on(SessionTakenOver)
    def write_failed(self, message: WriteFailed | SessionTakenOver) -> None:
        if isinstance(message, SessionTakenOver):
            self.lose(message.reason)
        else:
            reason = t("ui.note.write_failed", reason=message.reason)
            self.notify(reason, severity="error", timeout=15)
        if message.note_id is not None:
            self.notes_list.set_state(message.note_id, "failed")

    # -- keys ---------------------------------------------------------------------------

    def action_scroll_panel(self, direction: int) -> None:
        """PageUp/PageDown: the review or handover panel, without leaving the input."""
        for panel in (self.review, self.handover):
            if panel.display:
                panel.scroll_relative(y=direction * max(1, panel.size.height - 1), animate=False)

    def action_next_kind(self) -> None:
        self.next_note.next_kind()

    def action_toggle_share(self) -> None:
        if isinstance(self.focused, NotesList):
            self.notes_list.action_share()  # with the list focused: the note under the cursor
        else:
            self.next_note.toggle_visibility()

    def action_toggle_tag(self) -> None:
        self.next_note.toggle_tag()

    def action_next_role(self) -> None:
        self.next_note.next_role()
        self.draw_card(by_the_coach=True)

    def action_draw(self) -> None:
        self.draw_card(by_the_coach=True)

    def draw_card(self, by_the_coach: bool = False) -> None:
        """A card for the phase and role in view. The balance of roles counts the
        cards the coach asked for (F7, F8), not the ones shown at start or at a phase."""
        role = self.next_note.role
        card = self.cards.draw(self.phase, role)
        if by_the_coach and card is not None and self.session.ended_at is None:
            self.session.cards_drawn[role] = self.session.cards_drawn.get(role, 0) + 1
            self.writer.session(self.session)

    def action_phase(self, step: int) -> None:
        index = session_clock.current_index(self.session) + step
        live = self.session.ended_at is None and not self.taken_over
        if live and 0 <= index < len(self.session.phases):
            self.go_to_phase(index)
            if self.phase == "handover" and self.aoi.room is Room.COACH:
                self.aoi.room = Room.SPONSOR  # the N+1 joins for the handover

    def go_to_phase(self, index: int) -> None:
        session_clock.go_to(self.session, index, clock.now())
        self.writer.session(self.session)
        self.draw_card()
        self.tick()
        self.show_panels()

    def action_editor(self) -> None:
        self.next_note.open_editor()

    def action_coachee_log(self) -> None:
        from aoi_tui.screens.coachee_log import CoacheeLogScreen

        if self.aoi.room is not Room.COACH:
            return  # the coachee's log is not for the N+1's eyes

        def closed(text: str | None) -> None:
            if text is not None:
                self.session.coachee_log = clean(text)
                self.writer.session(self.session)
                self.show_panels()

        self.app.push_screen(CoacheeLogScreen(self.session.coachee_log), closed)

    def action_debrief(self) -> None:
        from aoi_tui.screens.debrief import DebriefScreen

        if self.taken_over:  # the debrief writes directly: not from a window taken over
            self.notify(t("ui.session.taken_over"), severity="error")
            return
        index = debrief_index(self.session)  # from now on the time is the debrief's
        now = session_clock.current_index(self.session)
        if index is not None and self.session.ended_at is None and now < index:
            self.go_to_phase(index)
        self.writer.drain()
        self.debrief_left = self.ef.stamp()
        self.app.push_screen(DebriefScreen(self.engagement_id, self.number, self.live))

    def on_screen_resume(self) -> None:
        """Back from a dialog, or from the debrief, which may have changed notes,
        the message, actions: read again only if the engagement's file changed."""
        if self.session.ended_at is None and self.is_mounted:
            try:  # the debrief may have found the session resumed elsewhere
                self.live.check()
            except TakenOver as exc:
                self.lose(str(exc))
        left, self.debrief_left = self.debrief_left, None
        if left is None:
            return  # a dialog of this screen (editor, log): its result is applied here
        self.writer.drain()
        if self.ef.stamp() != left:
            self.session = self.ef.session(self.number)
            self.notes_list.merge(self.ef.notes(self.number))
        self.tick()
        self.show_panels()

    def action_end(self) -> None:
        if self.session.ended_at is not None:
            self.app.pop_screen()
            return
        question = ConfirmScreen(t("ui.end.title"), t("ui.end.question"))
        self.app.push_screen(question, lambda yes: self.end_session() if yes else None)

    def end_session(self) -> None:
        from aoi_tui.screens.role_balance import RoleBalanceScreen

        try:  # resumed in another aoi (maybe not noticed yet): that one ends the session
            self.live.check()
            session_clock.finish(self.session, clock.now())
            self.writer.session(self.session)
            self.writer.drain()
            self.live.clear_draft()
        except TakenOver as exc:
            self.lose(str(exc))
            return
        self.live.release()
        with failures_said(self):  # the session is saved; only the list may be behind
            self.aoi.unlocked.refresh_summary(self.engagement_id)
        self.aoi.room = Room.COACH
        self.app.switch_screen(RoleBalanceScreen(self.session, self.notes_list.notes))

    def action_leave(self) -> None:
        self.writer.drain()
        self.app.pop_screen()
