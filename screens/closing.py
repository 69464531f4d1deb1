"""The closing three-way review: the synthesis of what was learned,
competencies before and after, objectives reached or not, what continues with
the N+1; then the engagement is closed. Follow-up sessions can still be added.

A group's closing review is held with the group and its N+1(s): it opens in
the sponsor-safe view, where only the group's objectives and competencies show,
as far as they reach every N+1 (`group_room.before_the_n1s`). F4 records the
validation of the group present (each participant's own, never the N+1's: they
are no participant); F5 turns, with the coach alone, to one participant at a
time, who sees their own objectives, competencies and what they take away, and
validates for themselves (someone absent validates later, one to one)."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, Static, TextArea

from aoi_tui.config.i18n import t
from aoi_tui.domain import clock
from aoi_tui.domain.cycle import next_in
from aoi_tui.domain.fsac import bar, fsac_rows
from aoi_tui.domain.items import Closing
from aoi_tui.domain.models import (
    Engagement,
    Objective,
    ObjectiveStatus,
    Participant,
    Status,
    Validation,
    closing_hash,
)
from aoi_tui.domain.text import clean
from aoi_tui.domain.validations import toggle_validation, validation_by
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.base import STORE_FAILURES, AoiScreen, failures_said, group_safe_binding, saves
from aoi_tui.screens.group_room import (
    closing_present,
    closing_state,
    in_progress_view,
    names,
    objective_progress_shown,
    takeaways,
    whose,
)
from aoi_tui.screens.resume import ConfirmScreen

STATEMENT_WIDTH = 40
"""A group's objective or competency, cut to this many characters..."""
WHOSE_WIDTH = 16
"""... and whose it is to these: the status and whose stay within 80 columns."""


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class ClosingScreen(AoiScreen[None]):
    BINDINGS = [
        Binding("escape", "leave", t("ui.key.save_back"), id="closing.back"),
        Binding("f4", "validate", t("ui.key.validate"), id="closing.validate"),
        # priority: a TextArea takes F7 (select all) for itself, and the synthesis has the focus
        Binding(
            "f7",
            "cycle",
            t("ui.key.objective_status"),
            id="closing.cycle",
            priority=True,
            tooltip=t("ui.palette.objective_status"),
        ),
        # a group's: whose validation F4 records (the group present, or one person);
        # a function key, the synthesis has the focus and takes letters
        Binding(
            "f5",
            "by_whom",
            t("ui.key.by_whom"),
            id="closing.by_whom",
            tooltip=t("ui.palette.by_whom"),
            priority=True,
            show=False,
        ),
        group_safe_binding("closing", priority=True),
        Binding(
            "f10",
            "close_engagement",
            t("ui.key.close_engagement"),
            id="closing.close",
            tooltip=t("ui.palette.close_engagement"),
        ),
    ]

    def __init__(self, engagement_id: str) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.ef = self.aoi.unlocked.engagement(engagement_id)
        self.validator: str | None = None
        """A group's: whose validation F4 records, one participant's (one to one,
        the coach alone); None: the group present's."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="closing-state", classes="message")
            yield Static(id="validating", classes="explain")
            individual = self.ef.engagement().individual
            yield Label(t("ui.closing.synthesis" if individual else "ui.closing.synthesis_group"))
            yield TextArea(id="synthesis", soft_wrap=True, classes="half")
            yield Static(t("ui.closing.competencies"), classes="section")
            yield DataTable(id="before-after", cursor_type="row")
            yield Static(t("ui.engagement.objectives"), classes="section")
            yield DataTable(id="closing-objectives", cursor_type="row")
            yield Label(t("ui.closing.next"))
            yield TextArea(id="next", soft_wrap=True, classes="half")
            yield Static(t("ui.closing.takeaways"), classes="section", id="takeaways-title")
            yield Static(id="takeaways")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        e = self.ef.engagement()
        self.sub_title = t("ui.closing.title", coachee=e.coachee)
        self.query_one("#synthesis", TextArea).load_text(e.closing_synthesis)
        self.query_one("#next", TextArea).load_text(e.closing_next)
        group = not e.individual
        table = self.query_one("#before-after", DataTable)
        for key in ("competency", "start", "coach_now", "target", *(["whose"] if group else [])):
            table.add_column(t(f"ui.col.{key}"), key=key)
        objectives = self.query_one("#closing-objectives", DataTable)
        for key in ("statement", "status", *(["whose"] if group else [])):
            objectives.add_column(t(f"ui.col.{key}"), key=key)
        for wid in ("#validating", "#takeaways-title", "#takeaways"):
            self.query_one(wid).display = group
        # three-way: the N+1 is in the room (a group without an N+1: the group)
        self.aoi.room = Room.SPONSOR if self.with_n1(e) else Room.GROUP
        self.show_all()
        self.query_one("#synthesis", TextArea).focus()

    @staticmethod
    def with_n1(e: Engagement) -> bool:
        return e.individual or bool(e.sponsor.strip()) or any(p.sponsor for p in e.participants)

    def room_changed(self, room: Room) -> None:
        if room is not Room.COACH:
            self.validator = None  # one to one only with the coach alone
        self.show_all()

    def room_after_sponsor(self) -> Room:
        """F2 off in a group's closing review: the N+1 leaves, the group stays."""
        return Room.COACH if self.ef.engagement().individual else Room.GROUP

    def show_all(self) -> None:
        self.show_competencies()
        self.show_objectives()
        self.show_takeaways()
        self.show_state()

    def show_competencies(self) -> None:
        """Before and after; with the N+1 in the room, the levels only if the agreement
        lets competency levels reach the company (as in the follow-up and the exports).
        A group's: each row says whose; only the rows the room may read."""
        table = self.query_one("#before-after", DataTable)
        table.clear()
        e = self.ef.engagement()
        if not e.individual:
            room, who = self.aoi.room, self.validator
            for r in fsac_rows(self.ef.competencies(), self.ef.all_assessments()):
                if in_progress_view(r.competency, e, room, who):
                    table.add_row(
                        Text(cut(r.competency.name, STATEMENT_WIDTH)),
                        bar(r.start, r.target),
                        f"{bar(r.coach_now, r.target)} "
                        f"{t('ui.closing.reached') if r.reached else ''}",
                        str(r.target.value) if r.target else "—",
                        Text(cut(whose(r.competency, e), WHOSE_WIDTH)),
                    )
            return
        hidden = self.aoi.sponsor_safe and not e.agreement.report_competencies
        for r in fsac_rows(self.ef.competencies(), self.ef.all_assessments()):
            if hidden:
                table.add_row(Text(r.competency.name), "·", "·", "·")
                continue
            table.add_row(
                Text(r.competency.name),
                bar(r.start, r.target),
                f"{bar(r.coach_now, r.target)} {t('ui.closing.reached') if r.reached else ''}",
                str(r.target.value) if r.target else "—",
            )

    def show_objectives(self) -> None:
        table = self.query_one("#closing-objectives", DataTable)
        row = table.cursor_row
        table.clear()
        e = self.ef.engagement()
        for o in self.ef.objectives():
            if e.individual:
                table.add_row(Text(o.statement), t(f"objective.{o.status.value}"), key=o.id)
                continue
            if not in_progress_view(o, e, self.aoi.room, self.validator):
                continue
            shown = objective_progress_shown(o, e, self.aoi.room)
            status = t(f"objective.{o.status.value}") if shown else "·"
            table.add_row(
                Text(cut(o.statement, STATEMENT_WIDTH)),
                status,
                Text(cut(whose(o, e), WHOSE_WIDTH)),
                key=o.id,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def show_takeaways(self) -> None:
        """A group's: what each participant takes away (their own notes of a peer
        session's last phase or of a closing session), with the coach alone; one
        to one, that participant's; nothing about one person before the group."""
        e = self.ef.engagement()
        widget = self.query_one("#takeaways", Static)
        if e.individual:
            return
        if self.aoi.room is not Room.COACH:
            widget.update(Text(t("ui.closing.takeaways_alone")))
            return
        notes, sessions = self.ef.notes(), self.ef.sessions()
        text = Text()
        for p in e.participants:
            if self.validator is not None and p.id != self.validator:
                continue
            theirs = takeaways(notes, sessions, p)
            text.append(f"{p.name}\n", style="bold")
            for n in theirs:
                said = "validated" if validation_by(n, p, e) is not None else "—"
                text.append(f"  • {n.text}  ({t(said)})\n")
            if not theirs:
                text.append(f"  {t('ui.closing.takeaways_none')}\n")
        widget.update(text)

    def show_state(self) -> None:
        e = self.ef.engagement()
        parts = [t(f"status.{e.status.value}")]
        if e.individual:
            validated = e.closing_validated
            parts.append(t("ui.closing.validated") if validated else t("ui.closing.not_validated"))
        else:
            present = closing_present(e, self.ef.sessions())
            state = closing_state(e, self.aoi.room, self.validator, present)
            who = e.member(self.validator) if self.validator else None
            if who is not None:  # one to one: their own validation
                parts.append(t("ui.closing.person_state", name=who.name, state=state))
            else:
                parts.append(t("ui.closing.group_state", state=state))
            self.show_validator(e, present)
        self.query_one("#closing-state", Static).update(Text(" · ".join(parts)))

    def show_validator(self, e: Engagement, present: list[Participant]) -> None:
        """A group's: whose validation F4 records, said above the synthesis."""
        who = e.member(self.validator) if self.validator else None
        if who is not None:
            text = t("ui.validating.person", name=who.name)
        elif self.aoi.room is Room.SPONSOR:
            # before the N+1, not even how many: an absence read there is an
            # attendance figure, reported only where everyone agreed to it
            text = t("ui.validating.group_uncounted")
        else:
            # the coach alone sees who; the group only how many
            said = names(present, 15) if self.aoi.room is Room.COACH else str(len(present))
            text = t("ui.validating.group", names=said)
        self.query_one("#validating", Static).update(Text(text + "  (F5)", style="bold"))

    def save(self) -> None:
        synthesis = clean(self.query_one("#synthesis", TextArea).text).strip()
        next_steps = clean(self.query_one("#next", TextArea).text).strip()
        with self.ef.batch():
            e = self.ef.engagement()
            if (synthesis, next_steps) != (e.closing_synthesis, e.closing_next):
                e.closing_synthesis = synthesis
                e.closing_next = next_steps
                e.closing_validation = None  # changed: the coachee validates again
                self.ef.update(e)  # a group's validations hold for the old texts only
        self.show_state()

    def action_by_whom(self) -> None:
        """F5, a group's: whose validation F4 records, the group present's then each
        participant's in turn; one to one only with the coach alone."""
        e = self.ef.engagement()
        if e.individual:
            return
        if self.aoi.room is not Room.COACH:
            self.notify(t("ui.validating.one_to_one_only"), severity="warning")
            return
        order: list[str | None] = [None, *(p.id for p in e.participants if p.withdrawn_on is None)]
        at = order.index(self.validator) + 1 if self.validator in order else 0
        self.validator = order[at % len(order)]
        self.show_all()

    def in_a_group(self) -> bool:
        return not self.ef.engagement().individual

    def validate_in_group(self, e: Engagement) -> None:
        """F4, a group's: the group present validates the review (again: takes it
        back), or one participant does, one to one. Each person's own validation;
        nobody else's presence counts."""
        item = Closing(e)
        if self.validator is None:
            people = [p for p in closing_present(e, self.ef.sessions()) if p.withdrawn_on is None]
        else:
            person = e.member(self.validator)
            people = [person] if person is not None and person.withdrawn_on is None else []
        if not people:
            self.notify(t("ui.debrief.withdrawn"), severity="warning", timeout=8)
            return
        said = names(people, 15) if self.aoi.room is Room.COACH else t("ui.validating.the_group")
        done = "validated_for" if toggle_validation(item, people, e) else "withheld_for"
        self.notify(t(f"ui.validating.{done}", names=said))
        self.ef.update(e)

    @saves
    def action_validate(self) -> None:
        self.save()
        with self.ef.batch():
            e = self.ef.engagement()
            if not (e.closing_synthesis or e.closing_next):
                self.notify(t("ui.closing.empty"), severity="warning")
                return
            if not e.individual:
                self.validate_in_group(e)
                self.show_state()
                return
            e.closing_validation = Validation(
                at=clock.now(), text_sha256=closing_hash(e.closing_synthesis, e.closing_next)
            )
            self.ef.update(e)
        self.show_state()
        self.notify(t("ui.debrief.validated"))

    @saves
    def action_cycle(self) -> None:
        table = self.query_one("#closing-objectives", DataTable)
        if not table.row_count:
            return
        objective_id = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        with self.ef.batch():
            o = self.ef.get(Objective, objective_id)
            o.status = next_in(list(ObjectiveStatus), o.status)
            self.ef.update(o)
        self.show_objectives()

    @saves
    def action_close_engagement(self) -> None:
        self.save()
        e = self.ef.engagement()
        if e.status is Status.WITHDRAWN:
            self.notify(t("ui.closing.withdrawn"), severity="warning")
            return
        if e.status is Status.CLOSED:  # closed already: its date (and retention) stays
            self.notify(t("ui.closing.closed"))
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            with failures_said(self):
                with self.ef.batch():
                    e = self.ef.engagement()
                    e.status = Status.CLOSED
                    e.closed_on = clock.today()
                    self.ef.update(e)
                self.notify(t("ui.closing.closed"))
                self.aoi.unlocked.refresh_summary(self.engagement_id)
            with contextlib.suppress(*STORE_FAILURES):  # said above; shown as it can be
                self.show_state()

        question = t("ui.closing.confirm", coachee=e.coachee)
        if not self.closing_validated(e):  # allowed (an ending can be abrupt), never unnoticed
            unvalidated = "confirm_unvalidated" if e.individual else "confirm_unvalidated_group"
            question += "\n\n" + t(f"ui.closing.{unvalidated}")
        self.app.push_screen(ConfirmScreen(t("ui.closing.confirm_title"), question), answer)

    @staticmethod
    def closing_validated(e: Engagement) -> bool:
        """The review validated: by the coachee, or by everyone in the group today."""
        if e.individual:
            return e.closing_validated
        members = [p for p in e.participants if p.member_on(clock.today())]
        return bool(members) and all(validation_by(Closing(e), p, e) is not None for p in members)

    @saves
    def action_leave(self) -> None:
        self.save()
        self.app.pop_screen()  # the N+1 (or the group) stays in the room until F2 / ctrl+b
