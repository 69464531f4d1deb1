"""The debrief with the coachee: decide together what is shared, record the
coachee's validation, write the message for the N+1, set the actions until
the next session, the FSAC levels and the coachee's feeling, and see exactly
what the sponsor would receive."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    DataTable,
    Header,
    Input,
    Markdown,
    RadioButton,
    RadioSet,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from aoi_tui.config.i18n import language, plural, t
from aoi_tui.domain.allow_list import Message, reaches, validation_open, validation_open_for
from aoi_tui.domain.concerns import concerned, default_about, with_the_case_bringer
from aoi_tui.domain.cycle import next_in
from aoi_tui.domain.items import Validated
from aoi_tui.domain.models import (
    Action,
    ActionStatus,
    Assessment,
    Assessor,
    Competency,
    Engagement,
    Level,
    Note,
    Owner,
    Timing,
    Visibility,
    note_too_long,
)
from aoi_tui.domain.text import clean
from aoi_tui.domain.validations import toggle_validation, validate, validation_by
from aoi_tui.domain.vocabulary import Room
from aoi_tui.exports.render_markdown import shared_markdown
from aoi_tui.exports.shared_report import ConsentMissing, build_shared_report
from aoi_tui.screens.base import STORE_FAILURES, AoiScreen, Footer, group_safe_binding, saves
from aoi_tui.screens.debrief_notes import DebriefNotes, visibility_words
from aoi_tui.screens.group_room import (
    Whom,
    in_debrief,
    names,
    owner_words,
    short_names,
    shown,
    the_group_present,
    validation_state,
    whom_in_short,
    whom_unless_named,
    whose,
)
from aoi_tui.screens.toggles import Choice

if TYPE_CHECKING:
    from aoi_tui.live.live_session import LiveSession

STATUS_CYCLE = [ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.DROPPED, ActionStatus.MOVED]


class DebriefScreen(AoiScreen[None]):
    BINDINGS = [
        Binding(
            "f3",
            "toggle_share",
            t("ui.key.share"),
            id="debrief.share",
            tooltip=t("ui.palette.share"),
        ),
        Binding(
            "f4",
            "validate",
            t("ui.key.validate"),
            id="debrief.validate",
            tooltip=t("ui.palette.validate"),
        ),
        Binding(
            "f5",
            "validate_all",
            t("ui.key.validate_all"),
            id="debrief.validate_all",
            tooltip=t("ui.palette.validate_all"),
        ),
        # priority: the message's TextArea takes F6 (select line) for itself otherwise
        Binding(
            "f6",
            "preview",
            t("ui.key.preview"),
            id="debrief.preview",
            tooltip=t("ui.palette.preview"),
            priority=True,
        ),
        Binding(
            "f7",
            "action_status",
            t("ui.key.action_status"),
            id="debrief.action_status",
            tooltip=t("ui.palette.action_status"),
        ),
        Binding(
            "f8",
            "next_tab",
            t("ui.key.next_tab"),
            id="debrief.next_tab",
            tooltip=t("ui.palette.next_tab"),
        ),
        Binding("escape", "back", t("ui.key.back"), id="debrief.back"),
        # a group's: whose validation F4 records (the group present, or one person)
        # F9 too: b is a letter in the message and the action's text
        Binding(
            "b,f9",
            "by_whom",
            t("ui.key.by_whom"),
            id="debrief.by_whom",
            tooltip=t("ui.palette.by_whom"),
            show=False,
        ),
        group_safe_binding("debrief"),
        Binding("ctrl+q", "app.quit", t("ui.key.quit"), id="debrief.quit", show=False),
    ]

    TAB_KEYS = {
        "toggle_share": ("tab-notes", "tab-actions"),
        "validate": ("tab-notes", "tab-message", "tab-actions"),
        "validate_all": ("tab-notes", "tab-actions"),
        "action_status": ("tab-actions",),
    }

    def __init__(self, engagement_id: str, number: int, live: LiveSession | None = None) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.number = number
        self.live = live
        """The live session's lease: resumed in another aoi, this debrief stops writing."""
        self.ef = self.aoi.unlocked.engagement(engagement_id)
        self.session = self.ef.session(number)
        self.carried = {
            a.id for a in self.ef.actions() if a.session < number and a.status is ActionStatus.OPEN
        }
        """Actions of earlier sessions open when the debrief began: they stay listed, so
        a status set by mistake can be cycled on (done, dropped, moved, open again)."""
        self.details: dict[str, str] = {}
        """The whole text of each action, shown under its table: the coachee reads all
        of what they validate, however narrow the terminal (a note's: its own)."""
        self.notes = DebriefNotes(id="debrief-notes")
        self.fsac_rows: list[tuple[Competency, Static, Horizontal]] = []
        """Each competency's title and levels: a group's show whose the validator's are."""
        self.engagement = self.ef.engagement()
        """The engagement as the debrief opened: a group's participants."""
        self._short: tuple[Engagement | None, dict[str, str]] = (None, {})
        """A group's participants' short names, for the engagement read last."""
        self.validator: str | None = self.session.participant
        """A group's: whose validation F4 records, one participant's (one to one,
        the group out of the room; a one-to-one session's participant from the
        start) or, None, the group present's."""
        if not self.engagement.individual:
            self.notes.words_of = self.note_words
            self.notes.says_whom(self.note_whom)

    def before_write(self) -> None:
        if self.live is not None:
            self.live.check()

    def after_taken_over(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()  # to the session screen, which shows the banner

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="validating", classes="explain")
        with TabbedContent(id="tabs"):
            with TabPane(t("ui.debrief.tab_notes"), id="tab-notes"):
                yield self.notes
                yield Static(id="note-detail", classes="detail")
            with TabPane(t("ui.debrief.tab_message"), id="tab-message"):
                yield Static(id="message-state")
                yield TextArea(id="message", language="markdown", soft_wrap=True)
            with TabPane(t("ui.debrief.tab_actions"), id="tab-actions"):
                yield DataTable(id="actions", cursor_type="row")
                yield Static(id="action-detail", classes="detail")
                with Horizontal(id="new-action"):
                    yield Input(placeholder=t("ui.debrief.action_text"), id="action-text")
                    yield Select(
                        [(self.owner_words(o), o.value) for o in Owner],
                        value=Owner.COACHEE.value,
                        allow_blank=False,
                        id="action-owner",
                    )
                    yield Input(placeholder=t("ui.debrief.due"), id="action-due")
            with TabPane(t("ui.debrief.tab_fsac"), id="tab-fsac"), VerticalScroll():
                group = not self.engagement.individual
                yield Static(t(f"ui.debrief.feeling{'_group' if group else ''}"), classes="section")
                with RadioSet(id="feeling"):
                    for n in range(1, 6):
                        yield Choice(t(f"ui.feeling.{n}"), id=f"feeling-{n}")
                yield Static(t("ui.debrief.fsac"), classes="section")
                yield Vertical(id="fsac")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("ui.debrief.title", number=self.number)
        actions = self.query_one("#actions", DataTable)
        for key in ("status", "owner", "due", "visibility", "validation", "text"):
            actions.add_column(t(f"ui.col.{key}"), key=key)
        self.query_one("#message", TextArea).load_text(self.session.sponsor_message)
        if self.session.feeling:
            self.query_one(f"#feeling-{self.session.feeling}", RadioButton).value = True
        self.build_fsac()
        self.room_changed(self.aoi.room)
        self.notes.focus()  # arrows move through the notes at once, not along the tabs

    def after_failed_save(self) -> None:
        # what the store holds; the message typed stays in its TextArea, so the
        # next save sees a change and writes it (a file damaged meanwhile: as it was)
        with contextlib.suppress(*STORE_FAILURES):
            self.session = self.ef.session(self.number)
            self.reload()

    def room_after_sponsor(self) -> Room:
        """F2 off in a group's collective debrief: the N+1 leaves, the group stays
        (it went to the coach alone, every note about a person shown to the group)."""
        if self.engagement.individual or not self.session.collective:
            return Room.COACH
        return Room.GROUP

    def room_changed(self, room: Room) -> None:
        # With the N+1 in the room: no FSAC or feeling, and the message only once it
        # reaches the N+1 (the allow-list).
        safe = room is not Room.COACH  # the N+1, or the group: no one's FSAC or feeling
        if room is not Room.COACH and not self.session.participant:
            self.validator = None  # one to one only with the coach alone
        tabs = self.query_one("#tabs", TabbedContent)
        if safe:
            self.save_message_said()  # the FSAC tab leaves the screen all the same
            if tabs.active == "tab-fsac":
                tabs.active = "tab-notes"
            tabs.hide_tab("tab-fsac")
        else:
            tabs.show_tab("tab-fsac")
        self.reload()

    # -- tables ---------------------------------------------------------------------

    def reload(self) -> None:
        """The tables, the message and its state. In the sponsor-safe view, only
        what reaches the N+1 (`allow_list.reaches`): nothing that names or
        counts what is private or awaiting the coachee's validation."""
        safe = self.aoi.sponsor_safe
        engagement = self.ef.engagement()
        self.details = {}
        notes = self.ef.notes(self.number)
        self.show_validator()  # a group's only
        for c, said, levels in self.fsac_rows:  # one to one: theirs and the group's
            said.display = levels.display = in_debrief(c, engagement, Room.COACH, self.validator)
        if not engagement.individual:
            self.engagement = engagement
            self.notes.words_changed()
            room, who = self.aoi.room, self.validator
            self.notes.set_notes(n for n in notes if in_debrief(n, engagement, room, who))
        else:
            self.notes.set_notes(n for n in notes if not safe or reaches(n, engagement))

        actions = self.query_one("#actions", DataTable)
        row = actions.cursor_row
        actions.clear()
        for a in self.session_actions():
            if not engagement.individual:
                if not in_debrief(a, engagement, self.aoi.room, self.validator):
                    continue
                vis, state = self.note_words(a)
            elif safe and not reaches(a, engagement):
                continue
            else:
                vis, state = visibility_words(a)
            actions.add_row(
                t(f"action.{a.status.value}"),
                self.owner_words(a.owner),
                a.due.isoformat() if a.due else "—",
                vis,
                state,
                Text(clean(a.text)),
                key=a.id,
            )
            due = f", {a.due.isoformat()}" if a.due else ""
            self.details[a.id] = f"{clean(a.text)} ({self.owner_words(a.owner)}{due})"
        if actions.row_count:
            actions.move_cursor(row=min(row, actions.row_count - 1))
        self.show_note_detail()
        self.show_detail("actions", "action-detail")
        self.show_message_state()

    def show_detail(self, table_id: str, detail_id: str) -> None:
        item_id = self._selected(table_id)
        text = self.details.get(item_id, "") if item_id else ""
        self.query_one(f"#{detail_id}", Static).update(Text(text))

    def show_note_detail(self) -> None:
        note = self.notes.selected
        self.query_one("#note-detail", Static).update(Text(clean(note.text) if note else ""))

    @on(DebriefNotes.Highlighted)
    def note_highlighted(self) -> None:
        self.show_note_detail()

    @on(DataTable.RowHighlighted, "#actions")
    def action_highlighted(self) -> None:
        self.show_detail("actions", "action-detail")

    def session_actions(self) -> list[Action]:
        """This session's actions, and those carried from earlier sessions (`carried`)."""
        return [a for a in self.ef.actions() if a.session == self.number or a.id in self.carried]

    def show_message_state(self) -> None:
        s = self.session
        group = "" if self.engagement.individual else "_group"  # a group's words
        # before the N+1 as the notes are: what reaches them (in a group, and concerns
        # the group: it is in the room too, and a message may be about one person)
        before_n1 = shown(Message(s), self.ef.engagement(), Room.SPONSOR)
        self.query_one("#message", TextArea).display = not self.aoi.sponsor_safe or before_n1
        if self.aoi.sponsor_safe:  # the N+1 reads it: the same words, pending or not
            state = (
                t(f"ui.debrief.message_validated{group}")
                if before_n1
                else t("ui.debrief.message_none_shared")
            )
        elif not s.sponsor_message:
            state = t(f"ui.debrief.message_empty{group}")
        elif not self.engagement.individual:
            present = the_group_present(self.engagement, self.session)
            state = validation_state(
                Message(s), self.engagement, self.aoi.room, self.validator, present
            )
            state = f"{t('ui.debrief.tab_message')}{t('ui.sep.colon')}{state}"
        elif s.sponsor_message_validated:
            state = t("ui.debrief.message_validated")
        else:
            state = t("ui.debrief.message_pending")
        self.query_one("#message-state", Static).update(Text(state, style="bold"))

    def _selected(self, table_id: str) -> str | None:
        table = self.query_one(f"#{table_id}", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active

    # -- sharing and validation ----------------------------------------------------------

    def _selected_item(self) -> tuple[type[Note] | type[Action], str] | None:
        """The note or action under the cursor of the tab in view."""
        tab = self._active_tab()
        if tab == "tab-notes":
            note = self.notes.selected
            return (Note, note.id) if note else None
        if tab == "tab-actions":
            item_id = self._selected("actions")
            return (Action, item_id) if item_id else None
        return None

    @saves
    def action_toggle_share(self) -> None:
        selected = self._selected_item()
        if selected is None:
            return
        with self.ef.batch():
            item = self.ef.get(*selected)
            item.toggle_sharing()
            self.ef.update(item)
        self.reload()

    def validation_closed(self) -> bool:
        """After a withdrawal nothing new is validated for the N+1: said, not done."""
        if validation_open(self.ef.engagement()):
            return False
        self.notify(t("ui.debrief.withdrawn"), severity="warning", timeout=8)
        return True

    # -- a group's validations -------------------------------------------------------------

    def note_words(self, item: Note | Action) -> tuple[str, str]:
        """A group's item: private or shareable, and its validation as the room may
        read it (`group_room.validation_state`)."""
        vis, _ = visibility_words(item)
        present = the_group_present(self.engagement, self.session)
        return vis, validation_state(item, self.engagement, self.aoi.room, self.validator, present)

    def note_whom(self, note: Note) -> str:
        """Whom a group's note concerns, in the notes' own column: names with the
        coach alone (one to one too), "group" before the group or the N+1."""
        engagement = self.engagement
        if self._short[0] is not engagement:  # read again: a name may have changed
            self._short = (engagement, short_names(engagement))
        return whom_in_short(note, engagement, self.aoi.room, self._short[1])

    def show_validator(self) -> None:
        line = self.query_one("#validating", Static)
        line.display = not self.engagement.individual
        if self.engagement.individual:
            return
        who = self.engagement.member(self.validator) if self.validator else None
        if who is not None:
            text = t("ui.validating.person", name=who.name)
        elif self.aoi.room is Room.SPONSOR:
            # before the N+1, not even how many: an absence read there is an
            # attendance figure, reported only where everyone agreed to it
            text = t("ui.validating.group_uncounted")
        else:
            present = the_group_present(self.engagement, self.session)
            # the coach alone sees who; the group sees only how many
            said = names(present, 15) if self.aoi.room is Room.COACH else str(len(present))
            text = t("ui.validating.group", names=said)
        line.update(Text(text + "  (F9)", style="bold"))  # b too, where it types nothing

    def action_by_whom(self) -> None:
        """b: whose validation F4 records, the group present's then each participant's
        in turn; one to one only while the group is out of the room."""
        if self.engagement.individual:
            return
        if self.session.participant:  # a one-to-one session: the others are not here
            who = self.engagement.member(self.session.participant)
            self.notify(t("ui.validating.only_them", name=who.name if who else "—"))
            return
        if self.aoi.room is not Room.COACH:
            self.notify(t("ui.validating.one_to_one_only"), severity="warning")
            return
        ids = [p.id for p in self.engagement.participants if p.withdrawn_on is None]
        order: list[str | None] = [None, *ids]
        at = order.index(self.validator) + 1 if self.validator in order else 0
        self.validator = order[at % len(order)]
        self.reload()

    def in_a_group(self) -> bool:
        return not self.engagement.individual

    def owner_words(self, owner: Owner) -> str:
        return owner_words(owner, self.engagement)

    def validate_for_the_group(self, item: Validated) -> bool:
        """F4 in a group's debrief, on `item`: the group present validates a group
        item (again: takes it back); one participant, one to one, validates (or takes
        back) an item about them or one of the group's. False when refused, said."""
        e = self.ef.engagement()
        concern = concerned(item, e)
        if self.validator is None:
            if not concern.group:
                self.notify(t("ui.validating.about_people"), severity="warning")
                return False
            people = [p for p in the_group_present(e, self.session) if validation_open_for(p, e)]
        else:
            if self.aoi.room is not Room.COACH:
                self.notify(t("ui.validating.one_to_one_only"), severity="warning")
                return False
            person = e.member(self.validator)
            if person is None:
                return False
            if not (concern.group or person.id in concern.people):
                self.notify(t("ui.validating.not_theirs", name=person.name), severity="warning")
                return False
            people = [person] if validation_open_for(person, e) else []
        if not people:
            self.notify(t("ui.validating.no_one"), severity="warning", timeout=8)
            return False
        # with the group in the room, "the group present", not a list of names
        said = names(people, 15) if self.aoi.room is Room.COACH else t("ui.validating.the_group")
        done = "validated_for" if toggle_validation(item, people, e) else "withheld_for"
        self.notify(t(f"ui.validating.{done}", names=said))
        return True

    @saves
    def action_validate(self) -> None:
        if self.validation_closed():
            return
        if not self.engagement.individual:
            self.validate_in_group()
            return
        tab = self._active_tab()
        if tab == "tab-message":
            self.save_message()
            try:
                self.session.validate_sponsor_message()
            except ValueError:
                self.notify(t("ui.debrief.message_empty"), severity="warning")
                return
            self.ef.update(self.session)
            self.show_message_state()
            self.notify(t("ui.debrief.validated"))
            return
        selected = self._selected_item()
        if selected is None:
            return
        with self.ef.batch():
            item = self.ef.get(*selected)
            if item.visibility is not Visibility.SHAREABLE:
                self.notify(t("ui.debrief.private_first"), severity="warning")
                return
            item.validate_by_coachee()
            self.ef.update(item)
        self.notify(t("ui.debrief.validated"))
        self.reload()

    def validate_all_in_group(self) -> None:
        """F5 in a group's debrief: every shareable item in view that the group
        present (or the participant, one to one) may validate, validated by them."""
        e = self.ef.engagement()
        room, who = self.aoi.room, self.validator
        if who is None:
            people = [p for p in the_group_present(e, self.session) if validation_open_for(p, e)]
        else:
            person = e.member(who)
            people = [person] if person is not None and validation_open_for(person, e) else []
        if not people:  # as F4 says it: no one here may validate
            self.notify(t("ui.validating.no_one"), severity="warning", timeout=8)
            return
        actions = self._active_tab() == "tab-actions"
        count = 0
        with self.ef.batch():
            items: list[Note] | list[Action] = (
                self.session_actions() if actions else self.ef.notes(self.number)
            )
            for item in items:
                concern = concerned(item, e)
                mine = concern.group if who is None else concern.group or who in concern.people
                if (
                    item.visibility is not Visibility.SHAREABLE
                    or not mine
                    or not in_debrief(item, e, room, who)
                ):
                    continue
                missing = [p for p in people if validation_by(item, p, e) is None]
                for p in missing:
                    validate(item, p, e)
                if missing:
                    self.ef.update(item)
                    count += 1
        # for whom, as F4 says it (the group present, not names, with the group in)
        said = names(people, 15) if room is Room.COACH else t("ui.validating.the_group")
        key = "ui.validating.actions_n" if actions else "ui.validating.notes_n"
        self.notify(plural(key, count, names=said))
        self.reload()

    def validate_in_group(self) -> None:
        tab = self._active_tab()
        if tab == "tab-message":
            self.save_message()
            if not self.session.sponsor_message:
                self.notify(t("ui.debrief.message_empty_group"), severity="warning")
                return
            problems = self.message_whom().problems
            if problems:  # a person is never guessed: said, nothing validated
                group = self.aoi.room is not Room.COACH  # without the names it may be about
                said = t("ui.debrief.message_at_hidden") if group else problems[0]
                self.notify(said, severity="error", timeout=10)
                return
            message = Message(self.session)
            if self.validator is None and not concerned(message, self.ef.engagement()).group:
                self.notify(t("ui.debrief.message_about_people"), severity="warning")
                return
            if self.validate_for_the_group(message):
                self.ef.update(self.session)
            self.show_message_state()
            return
        selected = self._selected_item()
        if selected is None:
            return
        with self.ef.batch():
            item = self.ef.get(*selected)
            if item.visibility is not Visibility.SHAREABLE:
                self.notify(t("ui.debrief.private_first"), severity="warning")
                return
            if self.validate_for_the_group(item):
                self.ef.update(item)
        self.reload()

    @saves
    def action_validate_all(self) -> None:
        """F5: on the notes tab every shareable note; on the actions tab every
        shareable action and every action the N+1 owns (shared and validated in
        one key: they are the N+1's to follow up), so none is left out of the
        report for want of F3 then F4."""
        if self.validation_closed():
            return
        if not self.engagement.individual:
            self.validate_all_in_group()
            return
        count = 0
        actions = self._active_tab() == "tab-actions"
        with self.ef.batch():
            items: list[Note] | list[Action] = (
                self.session_actions() if actions else self.ef.notes(self.number)
            )
            for item in items:
                if (
                    isinstance(item, Action)
                    and item.owner is Owner.SPONSOR
                    and item.visibility is Visibility.PRIVATE
                ):
                    item.toggle_sharing()  # shareable, any earlier validation cleared
                if item.visibility is Visibility.SHAREABLE and not item.validated:
                    item.validate_by_coachee()
                    self.ef.update(item)
                    count += 1
        key = "ui.debrief.validated_actions_n" if actions else "ui.debrief.validated_n"
        self.notify(plural(key, count))
        self.reload()

    @saves
    def action_preview(self) -> None:
        self.save_message()
        if not self.ef.engagement().individual:
            self.preview_group_reports()
            return
        try:
            report = build_shared_report(self.ef)
        except ConsentMissing as exc:
            self.notify(str(exc), severity="warning", timeout=8)
            return
        self.app.push_screen(PreviewScreen(shared_markdown(report, language())))

    def preview_group_reports(self) -> None:
        """A group's report for each of its N+1s, one after another, as they would
        leave now (`aoi export --shared --for-sponsor`)."""
        from aoi_tui.domain.allow_list import sponsors
        from aoi_tui.exports.group_documents import NoConsentYet, build_group_report
        from aoi_tui.exports.group_markdown import group_report_markdown

        names = sponsors(self.ef.engagement())
        if not names:
            self.notify(t("ui.preview.no_sponsor"), severity="warning", timeout=8)
            return
        room = self.aoi.room
        if room is Room.GROUP or (room is Room.SPONSOR and len(names) > 1):
            # a report holds what one person validated for their own N+1: not
            # for the group, nor for another N+1
            self.notify(t("ui.preview.not_for_the_room"), severity="warning", timeout=8)
            return
        try:
            reports = [build_group_report(self.ef, name) for name in names]
        except NoConsentYet:
            self.notify(t("ui.export.no_consent"), severity="warning", timeout=8)
            return
        markdown = "\n\n---\n\n".join(group_report_markdown(r, language()) for r in reports)
        title = t("ui.preview.title_each") if len(names) > 1 else t("ui.preview.title")
        self.app.push_screen(PreviewScreen(markdown, title))

    # -- message for the N+1 -------------------------------------------------------------------

    @on(TextArea.Changed, "#message")
    def message_changed(self, event: TextArea.Changed) -> None:
        cleaned = clean(event.text_area.text)
        if cleaned != event.text_area.text:
            event.text_area.load_text(cleaned)

    def save_message(self) -> None:
        text = clean(self.query_one("#message", TextArea).text).strip()
        if text != self.session.sponsor_message:
            self.session.set_sponsor_message(text)  # an edit clears the validation
            if not self.engagement.individual:
                # whom it concerns, as for a note: those its @ names, else the group
                # (a one-to-one's: its participant); an @ naming no one is refused at F4
                whom = self.message_whom()
                self.session.message_about = list(whom.about) or default_about(
                    self.engagement, self.session, None
                )
            self.ef.update(self.session)
            self.show_message_state()

    def message_whom(self) -> Whom:
        """Whom a group's message for the N+1 concerns, by the live input's rule:
        a participant its `@prefix` names needs their own validation and reporting
        agreement before it reaches an N+1, as a note about them does."""
        e, s = self.engagement, self.session
        return whom_unless_named(s.sponsor_message, default_about(e, s, None), e)

    @on(TabbedContent.TabActivated)
    def tab_changed(self) -> None:
        self.save_message_said()

    @saves
    def save_message_said(self) -> None:
        self.save_message()

    # -- actions --------------------------------------------------------------------------

    @on(Input.Submitted, "#action-text")
    @on(Input.Submitted, "#action-due")
    @saves
    def add_action(self) -> None:
        text_field = self.query_one("#action-text", Input)
        due_field = self.query_one("#action-due", Input)
        text = clean(text_field.value).strip()
        if not text:
            text_field.focus()
            return
        too_long = note_too_long(text)
        if too_long:  # said, and the text stays in the field
            self.notify(too_long, severity="error", timeout=10)
            return
        due: date | None = None
        if due_field.value.strip():
            try:
                due = date.fromisoformat(due_field.value.strip())
            except ValueError:
                self.notify(t("ui.debrief.bad_date", value=due_field.value), severity="error")
                due_field.focus()
                return
        about: list[str] = []
        if not self.engagement.individual:
            # whom it concerns, as a note: those its @ names, else the group (a
            # one-to-one's participant); without it, it concerned no one
            e, s = self.engagement, self.session
            whom = whom_unless_named(text, default_about(e, s, None), e)
            if whom.problems:  # a person is never guessed: said, the text stays
                group = self.aoi.room is not Room.COACH
                said = t("ui.about.problem_hidden") if group else whom.problems[0]
                self.notify(said, severity="error", timeout=10)
                return
            about = with_the_case_bringer(list(whom.about), s, None)
        owner = Owner(str(self.query_one("#action-owner", Select).value))
        self.ef.insert(Action(session=self.number, text=text, owner=owner, due=due, about=about))
        text_field.value = ""
        due_field.value = ""
        text_field.focus()
        self.reload()

    @saves
    def action_action_status(self) -> None:
        item_id = self._selected("actions")
        if item_id is None or self._active_tab() != "tab-actions":
            return
        with self.ef.batch():
            action = self.ef.get(Action, item_id)
            action.status = next_in(STATUS_CYCLE, action.status)
            self.ef.update(action)
        self.reload()

    # -- feeling and FSAC ---------------------------------------------------------------------

    @on(RadioSet.Changed, "#feeling")
    @saves
    def feeling_changed(self, event: RadioSet.Changed) -> None:
        self.session.feeling = event.radio_set.pressed_index + 1
        self.ef.update(self.session)

    def build_fsac(self) -> None:
        box = self.query_one("#fsac", Vertical)
        e = self.engagement
        # a group's one to one: their sheet and the group's, nobody else's
        competencies = [
            c
            for c in self.ef.competencies()
            if in_debrief(c, e, Room.COACH, self.session.participant)
        ]
        self.fsac_rows = []
        if not competencies:
            box.mount(Static(t("ui.debrief.no_competencies"), classes="explain"))
            return
        marks = [a for a in self.ef.all_assessments() if a.session == self.number]
        levels = [(t(f"level.{lvl.value}"), lvl.value) for lvl in Level]
        for c in competencies:
            current = {a.by: a.level.value for a in marks if a.competency_id == c.id}
            title = Text(c.name, style="bold")
            if not e.individual:
                title.append(f"  ({whose(c, e)})")
            said = Static(title)
            row = Horizontal(classes="fsac-row")
            box.mount(said, row)
            self.fsac_rows.append((c, said, row))
            for by in Assessor:
                row.mount(
                    Select(
                        levels,
                        value=current.get(by, Select.NULL),
                        prompt=t(f"assessor.{by.value}"),
                        id=f"fsac-{by.value}-{c.id}",
                        classes="fsac-level",
                    )
                )

    @on(Select.Changed, ".fsac-level")
    @saves
    def level_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL or event.select.id is None:
            return
        _, by, competency_id = event.select.id.split("-", 2)
        # a group's mark concerns whom its competency concerns (else it reaches no one)
        about = list(self.ef.get(Competency, competency_id).about)
        with self.ef.batch():
            for a in self.ef.all_assessments():
                if (
                    a.session == self.number
                    and a.competency_id == competency_id
                    and a.by.value == by
                ):
                    self.ef.delete(Assessment, a.id)
            self.ef.insert(
                Assessment(
                    competency_id=competency_id,
                    level=Level(int(str(event.value))),
                    by=Assessor(by),
                    timing=Timing.HOT,
                    session=self.number,
                    about=about,
                )
            )

    def action_next_tab(self) -> None:
        """F8: the next tab, from anywhere (arrows move inside the tables)."""
        tabs = self.query_one("#tabs", TabbedContent)
        order = ["tab-notes", "tab-message", "tab-actions"]
        if not self.aoi.sponsor_safe:
            order.append("tab-fsac")
        current = tabs.active if tabs.active in order else order[-1]
        following = next_in(order, current)
        focus = {
            "tab-notes": "#debrief-notes",
            "tab-message": "#message",
            "tab-actions": "#action-text",
            "tab-fsac": "#feeling",
        }[following]
        # focused before the tab changes, as the framing's F4: focused a turn later,
        # the hidden tab's field could hand the focus to its neighbour, whose tab came back
        self.set_focus(self.query_one(focus))
        tabs.active = following

    @saves
    def action_back(self) -> None:
        self.save_message()
        self.app.pop_screen()


class PreviewScreen(ModalScreen[None]):
    """Exactly what the sponsor's report would hold now."""

    BINDINGS = [Binding("escape,f6", "app.pop_screen", t("ui.key.back"), id="preview.back")]

    def __init__(self, markdown: str, title: str | None = None) -> None:
        super().__init__()
        self.markdown = markdown
        self.title_words = title or t("ui.preview.title")

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide"):
            yield Static(self.title_words, classes="dialog-title")
            yield Markdown(self.markdown)
        yield Footer(compact=True)
