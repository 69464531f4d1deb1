"""The live session: widgets that keep their own state (`phase_stepper`,
`card_panel`, `notes_list`, `note_input`, `session_panels`) around the session
record, its lease and its writes (`live_run`); this screen routes the keys
(`session_keys`) and the messages, and follows who is in the room."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Header

from aoi_tui.config.i18n import t
from aoi_tui.domain import clock
from aoi_tui.domain.models import Session, Status
from aoi_tui.domain.vocabulary import Room
from aoi_tui.live.live_session import TakenOver
from aoi_tui.screens.base import AoiScreen, Footer, failures_said
from aoi_tui.screens.card_panel import CardPanel
from aoi_tui.screens.coachee_log import CoacheeLogScreen
from aoi_tui.screens.group_room import (
    Whom,
    choices,
    opening_room,
    reviewed_actions,
    room_after_sponsor,
    sponsor_joins,
    whom,
)
from aoi_tui.screens.live_run import LiveRun, SessionTakenOver
from aoi_tui.screens.note_input import NextNote
from aoi_tui.screens.notes_list import NotesList
from aoi_tui.screens.phase_stepper import PhaseStepper
from aoi_tui.screens.resume import ConfirmScreen
from aoi_tui.screens.role_balance import RoleBalanceScreen
from aoi_tui.screens.session_keys import SESSION_KEYS
from aoi_tui.screens.session_panels import Banner, SidePanel, handover_panel_text, review_panel_text


class SessionScreen(AoiScreen[None]):
    taken_over: reactive[bool] = reactive(False, init=False)
    """Another aoi resumed the session: nothing more is written from here."""

    BINDINGS = SESSION_KEYS

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
        session = self.ef.session(number)
        self.engagement = self.ef.engagement()
        """The engagement as the session opened (its participants, for a group's notes)."""
        self.notes_list = NotesList(session.kind, id="notes", session=session)
        self.live = LiveRun(self.ef, session, self.notes_list)  # writes said on the list
        """The session record, its lease and its writes."""
        self.stepper = PhaseStepper(id="stepper")
        self.review = SidePanel(id="review-panel")  # docked over the notes
        self.handover = SidePanel(id="handover-panel")
        self.cards = CardPanel(form=self.engagement.form, id="cards")
        self.banner = Banner(id="banner")
        self.next_note = NextNote(id="next", whom=None if self.engagement.individual else self.whom)

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.stepper
        with Horizontal(id="session-main"):
            with Vertical(id="left"):
                yield from (self.notes_list, self.review, self.handover)
            yield self.cards
        yield from (self.banner, self.next_note, Footer(compact=True))

    def on_mount(self) -> None:
        kind, engagement = t(f"session.kind.{self.session.kind.value}"), self.engagement
        self.sub_title = f"{engagement.coachee} · {kind} {self.number}"
        if not self.live.ended:  # the group in the room; the N+1 too at a handover
            self.aoi.room = opening_room(engagement, self.session, self.aoi.room, self.live.phase)
        self.notes_list.for_room(self.aoi.room, engagement)  # first: the notes listed once
        self.notes_list.set_notes(self.ef.notes(self.number))
        draft = self.live.start(self.resume)
        if draft is not None:
            self.next_note.restore(draft, choices(engagement))
        self.action_draw_card()
        self.show_panels()
        self.tick()
        self.set_interval(1.0, self.tick)
        self.next_note.input.focus()
        if self.focus_note is not None and self.notes_list.highlight(self.focus_note):
            self.notes_list.focus()  # hidden in the sponsor-safe view, or deleted: not found

    def on_unmount(self) -> None:
        self.live.close()

    @property
    def session(self) -> Session:
        """The session record (its clock, cards drawn, the coachee's log)."""
        return self.live.session

    def whom(self, text: str, chosen: tuple[str, ...] | None) -> Whom:
        """Whom a group's note with `text` concerns, in this session and phase."""
        return whom(text, chosen, self.engagement, self.session, self.live.phase)

    # -- what is on screen -------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: the timers, and whether another aoi took the session over."""
        self.stepper.show(self.session, self.session.ended_at or clock.now())
        if not self.taken_over and (reason := self.live.taken_over_by()) is not None:
            self.lose(reason)

    def lose(self, message: str) -> None:
        """Another aoi resumed this session: stop writing, say so, keep the text on screen."""
        self.log.warning(message)  # the banner says it (a toast would cover it at 80x24)
        self.taken_over = True  # a reactive: said once, however often it is set

    def watch_taken_over(self, taken_over: bool) -> None:
        self.notes_list.read_only = taken_over
        self.show_panels()

    def room_changed(self, room: Room) -> None:
        self.notes_list.for_room(room, self.ef.engagement())
        self.show_panels()

    def show_panels(self) -> None:
        """The banner, the input's mask, the review's reminders and the handover."""
        session, safe = self.session, self.aoi.room is not Room.COACH
        group = self.aoi.room is Room.GROUP
        sponsor = safe and not group
        self.banner.show(
            taken_over=self.taken_over,
            sponsor_in_room=sponsor,
            ended=self.live.ended,
            group_in_room=group,
        )
        self.next_note.masked, self.next_note.read_only = sponsor, self.taken_over
        self.next_note.room = self.aoi.room
        if self.focused is None:
            self.next_note.input.focus()
        self.review.show(
            review_panel_text(
                session,
                not safe,
                lambda: reviewed_actions(self.ef.actions(), self.engagement, session),
            )
        )
        self.handover.show(handover_panel_text(self.ef, session, self.notes_list.notes))

    # -- writes, and how they went -------------------------------------------------------

    @on(NextNote.Drafted)
    def save_draft(self, message: NextNote.Drafted) -> None:
        """The next note as it stands, kept as a draft: typing never loses a word."""
        self.live.draft(message.words)

    @on(NextNote.Taken)
    def save_new_note(self, message: NextNote.Taken) -> None:
        """A note taken: listed as saving (private unless F4 said otherwise), written."""
        note = self.live.new_note(message.words)
        self.notes_list.add(note)
        self.live.note(note, "insert")

    @on(NotesList.Write)
    def note_changed(self, message: NotesList.Write) -> None:
        self.live.note(message.note, message.how)

    @on(SessionTakenOver)
    def taken_over_elsewhere(self, message: SessionTakenOver) -> None:
        self.lose(message.reason)

    # -- keys ---------------------------------------------------------------------------

    def action_scroll_panel(self, direction: int) -> None:
        """PageUp/PageDown: the review or handover panel, without leaving the input."""
        self.review.page(direction)
        self.handover.page(direction)

    def room_after_sponsor(self) -> Room:
        return room_after_sponsor(self.engagement, self.session)

    def in_a_group(self) -> bool:
        return not self.engagement.individual

    def action_choose_about(self) -> None:
        """ctrl+r, in a group's session: whom the next note concerns, one key at a time."""
        if not self.engagement.individual:
            self.next_note.choose(choices(self.engagement))

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
        self.action_draw_card(by_the_coach=True)

    def action_draw_card(self, by_the_coach: bool = False) -> None:
        """A card for the phase and role in view; in the balance of roles if the coach
        asked for it (F7, F8), not if shown at start or at a change of phase."""
        role = self.next_note.role
        if self.cards.draw(self.live.phase, role) is not None and by_the_coach:
            self.live.count_card(role)

    def action_phase(self, step: int) -> None:
        if not self.taken_over and self.live.step(step):
            self.phase_changed()
            if sponsor_joins(self.session, self.live.phase) and self.aoi.room is not Room.SPONSOR:
                self.aoi.room = Room.SPONSOR  # the N+1 joins for the handover

    def phase_changed(self) -> None:
        self.next_note.rework_about()  # whom it concerns may follow the phase (a peer case)
        self.action_draw_card()
        self.tick()
        self.show_panels()

    def action_editor(self) -> None:
        self.next_note.open_editor()

    def action_coachee_log(self) -> None:
        # the coachee's log is not for the N+1's eyes (a group has no one coachee)
        if self.aoi.room is Room.COACH and self.engagement.individual:
            self.app.push_screen(CoacheeLogScreen(self.session.coachee_log), self.log_written)

    def log_written(self, text: str | None) -> None:
        if text is not None:
            self.live.keep_log(text)
            self.show_panels()

    def action_debrief(self) -> None:
        from aoi_tui.screens.debrief import DebriefScreen

        if self.taken_over:  # the debrief writes directly: not from a window taken over
            self.notify(t("ui.session.taken_over"), severity="error")
            return
        if self.live.to_debrief():  # from now on the time is the debrief's
            self.phase_changed()
        self.live.debrief_opens()
        self.app.push_screen(DebriefScreen(self.engagement_id, self.number, self.live.lease))

    def on_screen_resume(self) -> None:
        """Back from a dialog, or from the debrief (it may have changed the notes)."""
        if self.live.in_debrief and (stored := self.live.after_debrief()) is not None:
            self.notes_list.merge(stored)
        if self.is_mounted:
            self.tick()
            self.show_panels()

    def action_end(self) -> None:
        if self.live.ended:
            self.app.pop_screen()
            return
        question = ConfirmScreen(t("ui.end.title"), t("ui.end.question"))
        self.app.push_screen(question, lambda yes: self.end_session() if yes else None)

    def end_session(self) -> None:
        try:  # resumed in another aoi (maybe not noticed yet): that one ends the session
            self.live.end()
        except TakenOver as exc:
            self.lose(str(exc))
            return
        with failures_said(self):  # the session is saved; only the list may be behind
            self.aoi.unlocked.refresh_summary(self.engagement_id)
        # whoever is in the room stays (the N+1 at a handover or a closing, the group):
        # the balance and the screens after it show what they may read, until F2 / ctrl+b
        # then the next session, proposed at the agreed cadence, unless the engagement ended
        ended = self.engagement.status in (Status.CLOSED, Status.WITHDRAWN)
        plan_for = None if ended else self.engagement_id
        self.app.switch_screen(RoleBalanceScreen(self.session, self.notes_list.notes, plan_for))

    def action_leave(self) -> None:
        self.live.drain()
        self.app.pop_screen()  # whoever is in the room stays until F2 / ctrl+b
