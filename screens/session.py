"""The live session: phases with timers, the role cards, note capture, the
notes of the session, the review-phase reminders and the handover view.

Every write goes through one background writer (`SerialWriter`), so typing
never waits for the disk; the draft in the input is saved as it is typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from aoi_tui.config.i18n import language, t
from aoi_tui.domain import clock
from aoi_tui.domain.cards import CardFileError, Deck, load_deck
from aoi_tui.domain.models import (
    ActionStatus,
    Note,
    NoteKind,
    Role,
    Session,
    Visibility,
    note_too_long,
)
from aoi_tui.domain.phases import debrief_index
from aoi_tui.domain.text import clean
from aoi_tui.live import session_clock
from aoi_tui.live.live_session import Draft, LiveSession, TakenOver
from aoi_tui.live.writer import SerialWriter
from aoi_tui.screens.base import AoiScreen, failures_said
from aoi_tui.screens.note_editor import NoteEditorScreen
from aoi_tui.screens.resume import ConfirmScreen
from aoi_tui.screens.session_widgets import (
    QUICK_KINDS,
    ROLES,
    CardPanel,
    NotesList,
    PhaseStepper,
    next_note_line,
    note_line,
)

if TYPE_CHECKING:
    pass

SPONSOR_PHASES = {
    "handover",
    "expectations",
    "objectives",
    "agreement",
    "synthesis",
    "assessment",
    "next",
}
"""Phases where the N+1 is usually in the room: the sponsor-safe view turns on."""


class WriteResult(Message):
    """A write finished on the writer thread: its callback runs on the UI thread.

    Posted, not `call_from_thread`: that blocks the writer until the UI runs the
    callback, and the UI waiting in `writer.drain()` (F9, Escape, end) then froze
    until the drain timed out."""

    def __init__(self, callback, *args) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.callback = callback
        self.args = args


class NoteInput(Input):
    """The note input. Textual's Input keeps only the first line of a paste: a
    paste of several lines goes to the long-note editor instead, so no word is lost."""

    class MultilinePaste(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def _on_paste(self, event: events.Paste) -> None:
        if "\n" in event.text.strip("\r\n") or "\r" in event.text.strip("\r\n"):
            event.stop()
            event.prevent_default()
            self.post_message(self.MultilinePaste(self.value + event.text))
        # else: Textual then runs Input's own handler (prevent_default stops it above)


PHASE_KEYS = Binding.Group(t("ui.key.phase"), compact=True)


class SessionScreen(AoiScreen[None]):
    # The footer at 80 columns: the function keys in order, F2 first (the N+1 walks
    # in); F7/F8 are on the card panel's header, Quit in the palette.
    BINDINGS = [
        Binding(
            "f2", "app.toggle_sponsor_safe", t("ui.key.sponsor_safe"), id="session.sponsor_safe"
        ),
        Binding("f3", "next_kind", t("ui.key.kind"), id="session.kind"),
        Binding(
            "f4",
            "toggle_share",
            t("ui.key.share"),
            id="session.share",
            tooltip=t("ui.palette.share"),
        ),
        Binding(
            "f5",
            "phase(-1)",
            t("ui.key.prev_phase"),
            id="session.prev_phase",
            tooltip=t("ui.palette.prev_phase"),
            group=PHASE_KEYS,
        ),
        Binding(
            "f6",
            "phase(1)",
            t("ui.key.next_phase"),
            id="session.next_phase",
            tooltip=t("ui.palette.next_phase"),
            group=PHASE_KEYS,
        ),
        Binding("f9", "debrief", t("ui.key.debrief"), id="session.debrief"),
        Binding("f10", "end", t("ui.key.end"), id="session.end", tooltip=t("ui.palette.end")),
        Binding("f7", "next_role", t("ui.key.role"), id="session.role", show=False),
        Binding(
            "f8",
            "draw",
            t("ui.key.draw"),
            id="session.draw",
            tooltip=t("ui.palette.draw"),
            show=False,
        ),
        Binding("ctrl+q", "app.quit", t("ui.key.quit"), id="session.quit", show=False),
        Binding("ctrl+t", "toggle_tag", t("ui.key.tag"), id="session.tag", show=False),
        Binding("ctrl+o", "editor", t("ui.key.editor"), id="session.editor", show=False),
        Binding("ctrl+l", "coachee_log", t("ui.key.log"), id="session.log", show=False),
        Binding("escape", "leave", t("ui.key.back"), id="session.back", show=False),
        Binding(
            "pageup", "scroll_panel(-1)", t("ui.key.scroll"), id="session.scroll_up", show=False
        ),
        Binding(
            "pagedown", "scroll_panel(1)", t("ui.key.scroll"), id="session.scroll_down", show=False
        ),
    ]

    def __init__(
        self, engagement_id: str, number: int, resume: bool, focus_note: str | None = None
    ) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.number = number
        self.resume = resume
        self.focus_note = focus_note  # a search result: highlight this note
        self.kind = NoteKind.OBSERVATION
        self.visibility = Visibility.PRIVATE
        self.role = Role.MIRROR
        self.tag_role = True
        self.notes: list[Note] = []
        self.states: dict[str, str] = {}  # note id -> saving | saved | failed
        self.deleted: list[Note] = []
        self.writer = SerialWriter()
        self.deck: Deck | None = None
        self.taken_over = False
        self.back_from_debrief = False
        """The debrief may have changed notes, the message, actions: read them again."""

    # -- set-up -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield PhaseStepper(id="stepper")
        with Horizontal(id="session-main"):
            with Vertical(id="left"):
                yield NotesList(id="notes")
                # docked on top of the notes; PageUp/PageDown scroll them from the input
                with VerticalScroll(id="review-panel", classes="side-panel", can_focus=False):
                    yield Static(id="review-text")
                with VerticalScroll(id="handover-panel", classes="side-panel", can_focus=False):
                    yield Static(id="handover-text")
            yield CardPanel(id="cards")
        yield Static(id="banner")
        yield Static(id="next-note")
        # select_on_focus off: a restored draft (or the text left when a dialog closes)
        # is selected on focus otherwise, and the next key typed replaces it all
        yield NoteInput(
            placeholder=t("ui.note.placeholder"), id="note-input", select_on_focus=False
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        store = self.aoi.unlocked
        self.ef = store.engagement(self.engagement_id)
        self.engagement = self.ef.engagement()
        self.session: Session = self.ef.session(self.number)
        self.live = LiveSession(self.ef, self.number)
        self.sub_title = f"{self.engagement.coachee} · {t(f'session.kind.{self.session.kind.value}')} {self.number}"
        try:
            self.deck = load_deck(language())
        except CardFileError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            self.deck = Deck([])
        self.notes = self.ef.notes(self.number)
        self.states = {n.id: "saved" for n in self.notes}
        if self.session.ended_at is None:
            self.live.take()
            now = clock.now()
            if self.session.started_at is None:
                session_clock.start(self.session, now)
                self._save_session()
            draft = self.live.load_draft() if self.resume else None
            if draft is not None:
                self._restore_draft(draft)
        self.draw_card()
        self.refresh_all()
        self.set_interval(1.0, self.tick)
        self.query_one("#note-input", Input).focus()
        if self.focus_note is not None:
            notes = self.query_one("#notes", OptionList)
            try:
                notes.highlighted = notes.get_option_index(self.focus_note)
                notes.focus()
            except OptionDoesNotExist:
                pass  # hidden in the sponsor-safe view, or deleted since

    def _restore_draft(self, draft: Draft) -> None:
        self.kind = NoteKind(draft.kind)
        self.visibility = Visibility(draft.visibility)
        self.role = Role(draft.role) if draft.role else self.role
        self.tag_role = draft.role is not None
        if "\n" in draft.text:
            self.app.call_later(self.action_editor, draft.text)
        else:
            self.query_one("#note-input", Input).value = draft.text
        has_text = bool(draft.text.strip())
        self.notify(t("ui.session.resumed" if has_text else "ui.session.resumed_empty"), timeout=3)

    def on_unmount(self) -> None:
        self.writer.close()

    # -- what is on screen ---------------------------------------------------------------

    @property
    def phase(self) -> str:
        return self.session.phases[session_clock.current_index(self.session)].phase

    def refresh_all(self) -> None:
        self.tick()
        self.refresh_notes()
        self.refresh_next_note()
        self.refresh_panels()

    def tick(self) -> None:
        """Once a second: the timers, and whether another aoi took the session over."""
        now = clock.now() if self.session.ended_at is None else self.session.ended_at
        self.query_one(PhaseStepper).show(self.session, now)
        if self.session.ended_at is None and not self.taken_over:
            try:
                self.live.check()
            except TakenOver as exc:
                self.lose(str(exc))

    def refresh_sponsor_safe(self) -> None:
        self.refresh_notes()
        self.refresh_panels()

    def refresh_notes(self, show: str | None = None) -> None:
        """The list of notes; with `show`, that note (just taken) is highlighted and
        scrolled into view."""
        safe = self.aoi.sponsor_safe
        notes = self.query_one("#notes", OptionList)
        highlighted = notes.highlighted
        notes.clear_options()
        if safe:  # what the N+1 may see: the one allow-list decides, as for the report
            from aoi_tui.domain.allow_list import reaches

            engagement = self.ef.engagement()
            shown = [n for n in self.notes if reaches(n, engagement)]
        else:
            shown = list(self.notes)
        notes.add_options(
            [
                Option(note_line(n, self.states.get(n.id, "saved"), self.session), id=n.id)
                for n in shown
            ]
        )
        if not shown:
            return
        ids = [n.id for n in shown]
        if show in ids:
            notes.highlighted = ids.index(show)
        else:
            notes.highlighted = min(
                highlighted if highlighted is not None else len(shown) - 1, len(shown) - 1
            )
        notes.scroll_to_highlight()

    def refresh_next_note(self) -> None:
        role = self.role if self.tag_role else None
        self.query_one("#next-note", Static).update(
            next_note_line(self.kind, self.visibility, role)
        )

    def refresh_panels(self) -> None:
        safe = self.aoi.sponsor_safe
        banner = self.query_one("#banner", Static)
        if self.taken_over:
            banner.update(Text(t("ui.session.taken_over"), style="bold reverse"))
        elif safe:
            banner.update(Text(t("ui.sponsor_safe.banner"), style="bold reverse"))
        elif self.session.ended_at:
            banner.update(Text(t("ui.session.ended_banner"), style="italic"))
        else:
            banner.update("")
        banner.display = bool(self.taken_over or safe or self.session.ended_at)
        field = self.query_one("#note-input", Input)
        # Sponsor-safe: the input stays where the keys go, its text masked; what the
        # coach types there is kept (draft, notes) and shows again with F2.
        field.password = safe
        field.placeholder = t("ui.note.placeholder_safe" if safe else "ui.note.placeholder")
        if self.focused is None:
            field.focus()
        field.disabled = self.taken_over  # taken over: the text stays on screen, read-only
        self.query_one("#next-note", Static).display = not safe and not self.taken_over

        review = self.query_one("#review-panel", VerticalScroll)
        first_phase = session_clock.current_index(self.session) == 0
        review.display = first_phase and not safe and self.session.kind.value in ("aoi", "coaching")
        if review.display:
            self.query_one("#review-text", Static).update(self._review_text())
        handover = self.query_one("#handover-panel", VerticalScroll)
        handover.display = self.phase == "handover"
        if handover.display:
            self.query_one("#handover-text", Static).update(self._handover_text())

    def _review_text(self) -> Text:
        text = Text(t("ui.review.actions"), style="bold")
        earlier = [
            a
            for a in self.ef.actions()
            if a.session < self.number and a.status is ActionStatus.OPEN
        ]
        for a in earlier:
            due = f", {a.due.isoformat()}" if a.due else ""
            text.append(f"\n• {clean(a.text)} ({t(f'owner.{a.owner.value}')}{due})")
        if not earlier:
            text.append("\n—")
        text.append("\n" + t("ui.review.log"), style="bold")
        log = self.session.coachee_log.strip()
        text.append("\n" + (clean(log) if log else t("ui.review.no_log")))
        return text

    def _handover_text(self) -> Text:
        """What the N+1 may read at the handover: what reaches the N+1 by the one
        allow-list (`allow_list.reaches`), each action with its due date and status."""
        from aoi_tui.domain.allow_list import Message, reaches

        def item(words: str) -> str:  # a line break in a text never starts a new item
            return "\n• " + clean(words).replace("\n", "\n  ")

        engagement = self.ef.engagement()
        text = Text(t("ui.handover.title"), style="bold")
        if engagement.agreement.consent_date is None:
            text.append("\n" + t("ui.handover.no_consent"), style="italic")
            return text
        if reaches(Message(self.session), engagement):
            text.append("\n" + t("ui.handover.message") + "\n", style="bold")
            text.append(clean(self.session.sponsor_message))
        else:
            text.append("\n" + t("ui.handover.no_message"), style="italic")
        shared = [n for n in self.notes if reaches(n, engagement)]
        if shared:
            text.append("\n" + t("ui.handover.items"), style="bold")
            for n in shared:
                text.append(item(n.text))
        follow = [
            a for a in self.ef.actions() if a.status is ActionStatus.OPEN and reaches(a, engagement)
        ]
        if follow:
            text.append("\n" + t("ui.handover.actions"), style="bold")
            for a in follow:
                details = [t(f"owner.{a.owner.value}")]
                if a.due:
                    details.append(f"{t('field.due')} {a.due.isoformat()}")
                details.append(t(f"action.{a.status.value}"))
                text.append(item(a.text) + f" ({', '.join(details)})")
        return text

    # -- writes -------------------------------------------------------------------------

    def _run(self, job, done=None, failed=None) -> None:  # type: ignore[no-untyped-def]
        """Queue a write; results come back on the UI thread."""

        def on_done(result: object) -> None:
            if done is not None:
                self.post_message(WriteResult(done, result))

        def on_error(exc: BaseException) -> None:
            self.post_message(WriteResult(self._write_failed, exc, failed))

        self.writer.submit(job, on_done, on_error)

    def on_write_result(self, message: WriteResult) -> None:
        message.callback(*message.args)

    def _write_failed(self, exc: BaseException, failed) -> None:  # type: ignore[no-untyped-def]
        if isinstance(exc, TakenOver):
            self.lose(str(exc))
        else:
            self.notify(t("ui.note.write_failed", reason=str(exc)), severity="error", timeout=15)
        if failed is not None:
            failed(exc)

    def _save_session(self) -> None:
        snapshot = self.session.model_copy(deep=True)
        self._run(lambda: self.live.save_session(snapshot))

    def lose(self, message: str) -> None:
        """Another aoi resumed this session: stop writing, say so, keep the text on screen."""
        if self.taken_over:
            return
        self.taken_over = True
        # The banner says it, in full; a toast would cover it at 80x24. The
        # message (pid and host of the new holder) goes to the log.
        self.log.warning(message)
        self.refresh_panels()

    # -- note capture --------------------------------------------------------------------

    @on(Input.Changed, "#note-input")
    def draft_changed(self, event: Input.Changed) -> None:
        cleaned = clean(event.value)
        if cleaned != event.value:  # pasted control sequences never reach the store
            event.input.value = cleaned
            return
        self._save_draft(cleaned)

    def _save_draft(self, text: str) -> None:
        if self.session.ended_at is not None or self.taken_over:
            return
        draft = Draft(
            session=self.number,
            phase=self.phase,
            text=text,
            kind=self.kind.value,
            visibility=self.visibility.value,
            role=self.role.value if self.tag_role else None,
        )

        def on_error(exc: BaseException) -> None:
            self.post_message(WriteResult(self._write_failed, exc, None))

        self.writer.submit_latest(
            "draft", lambda: self.live.save_draft(draft), lambda _: None, on_error
        )

    @on(NoteInput.MultilinePaste)
    def multiline_paste(self, event: NoteInput.MultilinePaste) -> None:
        field = self.query_one("#note-input", Input)
        if self.aoi.sponsor_safe:  # no editor in view of the N+1: kept, masked, in the input
            field.value = " / ".join(
                line for line in clean(event.text).splitlines() if line.strip()
            )
            field.cursor_position = len(field.value)
            return
        field.value = ""
        self.action_editor(clean(event.text))

    @on(Input.Submitted, "#note-input")
    def submit(self, event: Input.Submitted) -> None:
        text = clean(event.value).strip()
        if not text or self.taken_over:
            return
        too_long = note_too_long(text)
        if too_long:  # said, and the text stays in the input
            self.notify(too_long, severity="error", timeout=10)
            return
        event.input.value = ""
        self.save_new_note(text)

    def save_new_note(self, text: str) -> None:
        note = Note(
            session=self.number,
            phase=self.phase,
            text=text,
            role=self.role if self.tag_role else None,
            kind=self.kind,
            visibility=self.visibility,
        )
        self.notes.append(note)
        self.states[note.id] = "saving"
        self.refresh_notes(show=note.id)
        self._write_note(note, insert=True)
        # the next note starts fresh: private, an observation, tagged again
        self.visibility = Visibility.PRIVATE
        self.kind = NoteKind.OBSERVATION
        self.tag_role = True
        self.refresh_next_note()

    def _write_note(self, note: Note, insert: bool) -> None:
        snapshot = note.model_copy(deep=True)

        def job() -> None:
            self.live.check()
            if insert:
                self.ef.insert(snapshot)
            else:
                self.ef.update(snapshot)

        def done(_: object) -> None:
            self.states[note.id] = "saved"
            self.refresh_notes()

        def failed(_: BaseException) -> None:
            self.states[note.id] = "failed"
            self.refresh_notes()

        self._run(job, done, failed)

    # -- keys -------------------------------------------------------------------------------

    def action_scroll_panel(self, direction: int) -> None:
        """PageUp/PageDown: the review or handover panel, without leaving the input."""
        for panel in self.query(".side-panel").results(VerticalScroll):
            if panel.display:
                panel.scroll_relative(y=direction * max(1, panel.size.height - 1), animate=False)

    def _next_note_changed(self) -> None:
        """F3, F4, F7, ctrl+t: said on screen, and kept in the draft with its text."""
        self.refresh_next_note()
        self._save_draft(self.query_one("#note-input", Input).value)

    def action_next_kind(self) -> None:
        self.kind = QUICK_KINDS[(QUICK_KINDS.index(self.kind) + 1) % len(QUICK_KINDS)]
        self._next_note_changed()

    def action_toggle_share(self) -> None:
        focused = self.focused
        if isinstance(focused, OptionList):
            self._edit_selected(toggle_share=True)
            return
        self.visibility = (
            Visibility.PRIVATE if self.visibility is Visibility.SHAREABLE else Visibility.SHAREABLE
        )
        self._next_note_changed()

    def action_toggle_tag(self) -> None:
        self.tag_role = not self.tag_role
        self._next_note_changed()

    def action_phase(self, step: int) -> None:
        if self.session.ended_at is not None or self.taken_over:
            return
        index = session_clock.current_index(self.session) + step
        if not 0 <= index < len(self.session.phases):
            return
        session_clock.go_to(self.session, index, clock.now())
        self._save_session()
        if self.phase in SPONSOR_PHASES and not self.aoi.sponsor_safe and self.phase == "handover":
            self.aoi.sponsor_safe = True
        self.draw_card()
        self.refresh_all()

    def action_next_role(self) -> None:
        self.role = ROLES[(ROLES.index(self.role) + 1) % len(ROLES)]
        self.tag_role = True
        self.draw_card(by_the_coach=True)
        self._next_note_changed()

    def action_draw(self) -> None:
        self.draw_card(by_the_coach=True)

    def draw_card(self, by_the_coach: bool = False) -> None:
        """A card for the phase and role in view. The balance of roles counts only
        the cards the coach asked for (F7, F8), not the ones shown on their own (at
        start, after a note, at a change of phase)."""
        card = self.deck.draw(self.phase, self.role) if self.deck else None
        self.query_one(CardPanel).show(self.role, card)
        if by_the_coach and card is not None and self.session.ended_at is None:
            self.session.cards_drawn[self.role] = self.session.cards_drawn.get(self.role, 0) + 1
            self._save_session()

    def action_editor(self, text: str | None = None) -> None:
        if self.aoi.sponsor_safe:
            return  # the draft stays off the screen while the N+1 may see it
        field = self.query_one("#note-input", Input)
        start = field.value if text is None else text

        def closed(result: tuple[str, bool] | None) -> None:
            if result is None:
                return
            body, save = result
            if save and body.strip():
                field.value = ""
                self._save_draft("")  # the editor's draft: an empty field sends no Changed
                self.save_new_note(clean(body).strip())
            else:
                field.value = " / ".join(line for line in body.splitlines() if line.strip())

        self.app.push_screen(
            NoteEditorScreen(start, t("ui.editor.title"), on_change=self._save_draft), closed
        )

    def action_coachee_log(self) -> None:
        from aoi_tui.screens.coachee_log import CoacheeLogScreen

        if self.aoi.sponsor_safe:
            return  # the coachee's log is not for the N+1's eyes

        def closed(text: str | None) -> None:
            if text is not None:
                self.session.coachee_log = clean(text)
                self._save_session()
                self.refresh_panels()

        self.app.push_screen(CoacheeLogScreen(self.session.coachee_log), closed)

    def action_debrief(self) -> None:
        from aoi_tui.screens.debrief import DebriefScreen

        if self.taken_over:  # the debrief writes directly: not from a window taken over
            self.notify(t("ui.session.taken_over"), severity="error")
            return
        # the time from now on is the debrief's, not field work's
        index = debrief_index(self.session)
        if (
            index is not None
            and self.session.ended_at is None
            and session_clock.current_index(self.session) < index
        ):
            session_clock.go_to(self.session, index, clock.now())
            self._save_session()
            self.draw_card()
            self.refresh_all()
        self.writer.drain()
        self.back_from_debrief = True
        self.app.push_screen(DebriefScreen(self.engagement_id, self.number, self.live))

    def on_screen_resume(self) -> None:
        """Back from the debrief, which may have changed notes, the message, actions."""
        if not hasattr(self, "ef"):
            return
        if self.session.ended_at is None:
            try:  # the debrief may have found the session resumed elsewhere
                self.live.check()
            except TakenOver as exc:
                self.lose(str(exc))
        if not self.back_from_debrief:
            return  # a dialog of this screen (editor, log): its result is applied here
        self.back_from_debrief = False
        self.writer.drain()
        self.session = self.ef.session(self.number)
        unsaved = [n for n in self.notes if self.states.get(n.id) == "failed"]
        self.notes = self.ef.notes(self.number) + unsaved
        self.refresh_all()

    def action_end(self) -> None:
        if self.session.ended_at is not None:
            self.app.pop_screen()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.end_session()

        self.app.push_screen(ConfirmScreen(t("ui.end.title"), t("ui.end.question")), answer)

    def end_session(self) -> None:
        from aoi_tui.screens.role_balance import RoleBalanceScreen

        try:  # resumed in another aoi (maybe not noticed yet): that one ends the session
            self.live.check()
        except TakenOver as exc:
            self.lose(str(exc))
            return
        session_clock.finish(self.session, clock.now())
        self._save_session()
        self.writer.drain()
        try:
            self.live.clear_draft()
        except TakenOver as exc:
            self.lose(str(exc))
            return
        self.live.release()
        with failures_said(self):  # the session is saved; only the list may be behind
            self.aoi.unlocked.refresh_summary(self.engagement_id)
        self.aoi.sponsor_safe = False
        balance = RoleBalanceScreen(self.session, self.notes)
        self.app.switch_screen(balance)

    def action_leave(self) -> None:
        self.writer.drain()
        self.app.pop_screen()

    # -- editing notes in the list ---------------------------------------------------------

    def _selected_note(self) -> Note | None:
        options = self.query_one("#notes", OptionList)
        if options.highlighted is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        return next((n for n in self.notes if n.id == option_id), None)

    def _edit_selected(self, toggle_share: bool = False) -> None:
        note = self._selected_note()
        if note is None or self.taken_over:
            return
        if toggle_share:
            note.toggle_sharing()
        self._after_edit(note)

    def _after_edit(self, note: Note) -> None:
        if self.states.get(note.id) == "failed":
            self.states[note.id] = "saving"
            self._write_note(note, insert=True)
        else:
            self.states[note.id] = "saving"
            self._write_note(note, insert=False)
        self.refresh_notes()

    def edit_text(self) -> None:
        note = self._selected_note()
        if note is None or self.taken_over:
            return

        def closed(result: tuple[str, bool] | None) -> None:
            if result is None or not result[1] or not result[0].strip():
                return
            note.edit(result[0].strip())  # clears a validation given for the old text
            self._after_edit(note)

        self.app.push_screen(NoteEditorScreen(note.text, t("ui.editor.edit_title")), closed)

    # The note list's keys (bindings of `NotesList`, so they can be remapped).

    def action_note_edit(self) -> None:
        note = self._selected_note()
        if note is None or self.taken_over:
            return
        if self.states.get(note.id) == "failed":
            self._after_edit(note)  # retry the save
        else:
            self.edit_text()

    def action_note_share(self) -> None:
        self._edit_selected(toggle_share=True)

    def action_note_kind(self) -> None:
        note = self._selected_note()
        if note is None or self.taken_over:
            return
        note.kind = (
            QUICK_KINDS[(QUICK_KINDS.index(note.kind) + 1) % len(QUICK_KINDS)]
            if note.kind in QUICK_KINDS
            else NoteKind.OBSERVATION
        )
        self._after_edit(note)

    def action_note_role(self) -> None:
        note = self._selected_note()
        if note is None or self.taken_over:
            return
        order: list[Role | None] = [None, *ROLES]
        note.role = order[(order.index(note.role) + 1) % len(order)]
        self._after_edit(note)

    def action_note_delete(self) -> None:
        note = self._selected_note()
        if note is not None:
            self.delete_note(note)

    def action_note_undo(self) -> None:
        self.undo_delete()

    def delete_note(self, note: Note) -> None:
        if self.taken_over:
            return
        self.notes.remove(note)
        self.deleted.append(note)
        state = self.states.pop(note.id, "saved")
        if state != "failed":

            def job() -> None:
                self.live.check()
                self.ef.delete(Note, note.id)

            self._run(job)
        self.refresh_notes()
        self.notify(t("ui.note.deleted"))

    def undo_delete(self) -> None:
        if not self.deleted or self.taken_over:
            return
        note = self.deleted.pop()
        self.notes.append(note)
        self.notes.sort(key=lambda n: n.created_at)
        self.states[note.id] = "saving"
        self._write_note(note, insert=True)
        self.refresh_notes()
