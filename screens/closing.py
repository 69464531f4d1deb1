"""The closing three-way review: the synthesis of what was learned,
competencies before and after, objectives reached or not, what continues with
the N+1; then the engagement is closed. Follow-up sessions can still be added."""

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
from aoi_tui.domain.models import Objective, ObjectiveStatus, Status, Validation, closing_hash
from aoi_tui.domain.text import clean
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.base import STORE_FAILURES, AoiScreen, failures_said, saves
from aoi_tui.screens.resume import ConfirmScreen


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
        self.room_before = Room.COACH
        """Who was in the room when the review opened: as it was again on leaving."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="closing-state", classes="message")
            yield Label(t("ui.closing.synthesis"))
            yield TextArea(id="synthesis", soft_wrap=True, classes="half")
            yield Static(t("ui.closing.competencies"), classes="section")
            yield DataTable(id="before-after", cursor_type="row")
            yield Static(t("ui.engagement.objectives"), classes="section")
            yield DataTable(id="closing-objectives", cursor_type="row")
            yield Label(t("ui.closing.next"))
            yield TextArea(id="next", soft_wrap=True, classes="half")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        e = self.ef.engagement()
        self.sub_title = t("ui.closing.title", coachee=e.coachee)
        self.query_one("#synthesis", TextArea).load_text(e.closing_synthesis)
        self.query_one("#next", TextArea).load_text(e.closing_next)
        table = self.query_one("#before-after", DataTable)
        for key in ("competency", "start", "coach_now", "target"):
            table.add_column(t(f"ui.col.{key}"), key=key)
        objectives = self.query_one("#closing-objectives", DataTable)
        for key in ("statement", "status"):
            objectives.add_column(t(f"ui.col.{key}"), key=key)
        self.room_before = self.aoi.room
        self.aoi.room = Room.SPONSOR  # three-way: the N+1 is in the room
        self.show_competencies()
        self.show_objectives()
        self.show_state()
        self.query_one("#synthesis", TextArea).focus()

    def room_changed(self, room: Room) -> None:
        self.show_competencies()

    def show_competencies(self) -> None:
        """Before and after; with the N+1 in the room, the levels only if the agreement
        lets competency levels reach the company (as in the follow-up and the exports)."""
        table = self.query_one("#before-after", DataTable)
        table.clear()
        hidden = self.aoi.sponsor_safe and not self.ef.engagement().agreement.report_competencies
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
        for o in self.ef.objectives():
            table.add_row(Text(o.statement), t(f"objective.{o.status.value}"), key=o.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def show_state(self) -> None:
        e = self.ef.engagement()
        parts = [t(f"status.{e.status.value}")]
        validated = e.closing_validated
        parts.append(t("ui.closing.validated") if validated else t("ui.closing.not_validated"))
        self.query_one("#closing-state", Static).update(Text(" · ".join(parts)))

    def save(self) -> None:
        synthesis = clean(self.query_one("#synthesis", TextArea).text).strip()
        next_steps = clean(self.query_one("#next", TextArea).text).strip()
        with self.ef.batch():
            e = self.ef.engagement()
            if (synthesis, next_steps) != (e.closing_synthesis, e.closing_next):
                e.closing_synthesis = synthesis
                e.closing_next = next_steps
                e.closing_validation = None  # changed: the coachee validates again
                self.ef.update(e)
        self.show_state()

    @saves
    def action_validate(self) -> None:
        self.save()
        with self.ef.batch():
            e = self.ef.engagement()
            if not (e.closing_synthesis or e.closing_next):
                self.notify(t("ui.closing.empty"), severity="warning")
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
        if not e.closing_validated:  # allowed (an ending can be abrupt), never unnoticed
            question += "\n\n" + t("ui.closing.confirm_unvalidated")
        self.app.push_screen(ConfirmScreen(t("ui.closing.confirm_title"), question), answer)

    @saves
    def action_leave(self) -> None:
        self.save()
        self.aoi.room = self.room_before
        self.app.pop_screen()
