"""The three-way framing (kickoff) of an engagement, with coachee, N+1 and
coach: the roadmap (objectives), format and cadence, each party's
expectations, the agreement, and the competencies with the coaching
strategy. Shown in the sponsor-safe view, since the N+1 is in the room; a
group with no N+1 at all is framed with the group, in the group-safe view.
Every change is saved on leaving the screen (Escape) or with ctrl+o."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import TypeVar

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from aoi_tui.config.i18n import language, plural, t
from aoi_tui.domain import clock
from aoi_tui.domain.concerns import spoken
from aoi_tui.domain.cycle import next_in
from aoi_tui.domain.models import (
    GROUP,
    PLANNED_SESSIONS,
    Agreement,
    Area,
    Charter,
    Competency,
    Engagement,
    Form,
    Format,
    Level,
    Objective,
    ObjectiveStatus,
    Participant,
    Status,
)
from aoi_tui.domain.problems import first_problem
from aoi_tui.domain.referentials import referentials, to_competency
from aoi_tui.domain.text import clean
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens import group_room
from aoi_tui.screens.base import AoiScreen, failures_said, group_safe_binding, saves
from aoi_tui.screens.fields import KeptInput
from aoi_tui.screens.toggles import Tick
from aoi_tui.store.store import Store

LEVELS = [None, *Level]
Roadmap = TypeVar("Roadmap", Objective, Competency)
"""An objective or a competency: the two tables whose rows say whom they concern."""
CHARTER_POINTS = ("confidentiality", "attendance", "recipients", "leaving")
"""The charter's points, each a text the group agrees to (`Charter`)."""
MOTIVATION = ("low", "medium", "high")


PARTICIPANTS_HINT = {
    Room.COACH: "ui.framing.participants_hint",
    Room.SPONSOR: "ui.framing.participants_hint_sponsor",
    Room.GROUP: "ui.framing.participants_hint_group",
}
"""The line over the participants: their keys with the coach alone, else how to be."""
VIEW_WORDS = {Room.SPONSOR: "ui.framing.view_sponsor", Room.GROUP: "ui.framing.view_group"}
"""The subtitle's name of the view, when someone besides the coach is in the room."""


def default_confidentiality() -> str:
    return t("ui.framing.default_confidentiality")


class FramingScreen(AoiScreen[str | None]):
    """Dismisses with the engagement id (None when nothing was created)."""

    TAB_KEYS = {
        "cycle": ("tab-objectives", "tab-competencies"),
        "cycle_target": ("tab-competencies",),
        "remove": ("tab-objectives", "tab-competencies", "tab-participants"),
        "add_participant": ("tab-participants",),
        "plan": ("tab-frame",),  # where the planned sessions show
    }

    BINDINGS = [
        # in the palette, not the footer: the framing saves itself, and Escape saves too;
        # at 80 columns, in French, the footer keeps what the tab in view needs and F2
        Binding("ctrl+o", "save", t("ui.key.save"), id="framing.save", priority=True, show=False),
        Binding("escape", "leave", t("ui.key.save_back"), id="framing.back"),
        Binding(
            "f7", "cycle", t("ui.key.cycle"), id="framing.cycle", tooltip=t("ui.palette.cycle")
        ),
        Binding(
            "f8",
            "cycle_target",
            t("ui.key.cycle_target"),
            id="framing.cycle_target",
            tooltip=t("ui.palette.cycle_target"),
        ),
        Binding("f6", "remove", t("ui.key.remove"), id="framing.remove"),
        Binding("f5", "add_participant", t("ui.framing.add_participant"), id="framing.add"),
        Binding("f9", "plan", t("ui.framing.key_plan"), id="framing.plan"),
        Binding(
            "f4",
            "next_tab",
            t("ui.key.next_tab"),
            id="framing.next_tab",
            tooltip=t("ui.palette.next_tab"),
            show=False,  # in the palette: at 80 columns the footer keeps F2 first
        ),
        Binding("ctrl+q", "app.quit", t("ui.key.quit"), id="framing.quit", show=False),
        group_safe_binding("framing"),  # in the palette: a group's framing only (`check_action`)
        Binding(
            "ctrl+r",
            "choose_about",
            t("ui.key.about"),
            id="framing.about",
            tooltip=t("ui.palette.framing_about"),
            show=False,  # in the palette and the tab's hint: a group's framing only
        ),
    ]

    def __init__(self, engagement_id: str | None) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.opening_room = Room.SPONSOR
        """Who comes into the room with the framing (`group_room.framing_room`)."""
        self.named = ""
        """The engagement's name, as the subtitle says it."""
        self.objectives: list[Objective] = []
        self.competencies: list[Competency] = []
        self.removed: list[tuple[type[Objective] | type[Competency], str]] = []
        """Taken off the roadmap since the last save: deleted from the store at the next."""
        self.chosen_format: Format | None = None
        """The format shown (None until filled in): the planned sessions follow a change."""
        self.opened: tuple[Engagement, list[Objective], list[Competency]] | None = None
        """What was saved when the screen opened: Escape offers to go back to it."""
        self.opened_at = clock.now()
        """When the screen opened (the question on leaving says since when)."""
        self.opened_values: dict[str, str] = {}
        """The guarded fields' text at opening (`GUARDED`)."""
        self.saved_state: tuple[object, ...] | None = None
        """The form as last saved (None until the first paint): the autosave compares."""
        self.opened_state: tuple[object, ...] | None = None
        """The form as it opened: Escape asks only if it changed."""
        self.membership: str | None = None
        """The programme and site the engagement is in ("<id>|<site code>"), as saved."""
        self.form = Form.INDIVIDUAL
        """Who is accompanied (read at compose): a group has participants and a
        charter where one coachee has the three-way agreement."""
        self.group: Engagement | None = None
        """A group's engagement as last read: whom its objectives and competencies
        concern is said by its participants (None: one coachee's framing)."""
        self.chosen_about: dict[str, tuple[str, ...]] = {"o": (GROUP,), "c": (GROUP,)}
        """Whom the next objective ("o") and competency ("c") concern (ctrl+r)."""

    def field_label(self, field: str, form: Form | None = None) -> str:
        """A name field's label: a group's name, and a peer group's optional N+1."""
        form = form or self.form
        if field == "coachee" and form is not Form.INDIVIDUAL:
            return t("ui.framing.group_name")
        if field == "sponsor" and form is Form.PEERS:
            return t("ui.framing.peers_sponsor")
        return t(f"field.{field}")

    def compose(self) -> ComposeResult:
        if self.engagement_id is not None:
            self.form = self.aoi.unlocked.engagement(self.engagement_id).engagement().form
        group = self.form is not Form.INDIVIDUAL
        yield Header()
        with TabbedContent(id="framing-tabs"):
            with (
                TabPane(t("ui.framing.tab_frame"), id="tab-frame"),
                VerticalScroll(can_focus=False),
            ):
                if self.engagement_id is None:  # chosen once, when the engagement is made
                    yield Label(t("ui.framing.form"))
                    yield Select(
                        [(t(f"ui.framing.form_{f.value}"), f.value) for f in Form],
                        value=Form.INDIVIDUAL.value,
                        allow_blank=False,
                        id="f-form",
                    )
                for field in ("coachee", "sponsor", "coach", "organisation"):
                    yield Label(self.field_label(field), id=f"l-{field}")
                    yield KeptInput(id=f"f-{field}")
                yield Label(t("field.format"))
                yield Select(
                    # a group's format is never "individual"
                    [(t(f"format{'_group' if group else ''}.{f.value}"), f.value) for f in Format],
                    allow_blank=False,
                    id="f-format",
                )
                with Horizontal(classes="row"):
                    yield Label(t("field.planned_sessions"))
                    yield KeptInput(id="f-planned", type="integer")
                    yield Label(t("ui.framing.cadence_days"))
                    yield KeptInput(id="f-cadence", type="integer")
                # planned sessions have one source of truth, the planning screen's (F9)
                yield Label(t("ui.framing.planned_title"))
                yield Static(id="f-planned-list", classes="explain")
                yield Label(t("ui.framing.programme"))
                yield Select(  # the programmes joined here, with their sites (issue 14)
                    [], prompt=t("ui.framing.no_programme"), allow_blank=True, id="f-programme"
                )
            with TabPane(t("ui.framing.tab_expectations"), id="tab-expectations"):
                yield Label(
                    t("ui.framing.group_expectations" if group else "field.coachee_expectations")
                )
                yield TextArea(id="f-coachee-exp", soft_wrap=True, classes="half")
                yield Label(t("field.sponsor_expectations"))
                yield TextArea(id="f-sponsor-exp", soft_wrap=True, classes="half")
            with TabPane(t("ui.framing.tab_objectives"), id="tab-objectives"):
                yield DataTable(id="objectives", cursor_type="row")
                hint = "ui.framing.objective_hint_group" if group else "ui.framing.objective_hint"
                yield Static(t(hint), classes="explain")
                with Horizontal(classes="row"):
                    yield Select(
                        [(t(f"area.{a.value}"), a.value) for a in Area],
                        prompt=t("ui.framing.area"),
                        id="o-area",
                    )
                    yield KeptInput(placeholder=t("ui.framing.statement"), id="o-statement")
                with Horizontal(classes="row"):
                    yield KeptInput(placeholder=t("field.indicator"), id="o-indicator")
                    yield KeptInput(placeholder=t("field.expected_result"), id="o-expected")
                if group:  # whom the next objective concerns, before Enter
                    yield Static(id="o-whom", classes="explain")
            if group:
                yield from self.compose_group()
            else:
                yield from self.compose_agreement()
            with (
                TabPane(
                    t(
                        "ui.framing.tab_group_competencies"
                        if group
                        else "ui.framing.tab_competencies"
                    ),
                    id="tab-competencies",
                ),
                VerticalScroll(can_focus=False),
            ):
                yield from self.compose_competencies()
        yield Static(id="framing-message", classes="message")
        yield Footer(compact=True)

    def compose_agreement(self) -> ComposeResult:
        """One coachee's three-way agreement, and the hours log's fields."""
        with (
            TabPane(t("ui.framing.tab_agreement"), id="tab-agreement"),
            VerticalScroll(can_focus=False),
        ):
            with Horizontal(classes="row"):
                yield Tick(t("ui.framing.consent"), id="a-consent")
                yield KeptInput(
                    placeholder=t("ui.date_format"), id="a-consent-date", classes="short"
                )
            yield Static(t("ui.framing.flags"), classes="section")
            for flag in ("report_attendance", "report_objective_status", "report_competencies"):
                yield Tick(t(f"field.{flag}"), id=f"a-{flag}")
            yield Tick(t("field.right_to_withdraw"), id="a-withdraw", value=True)
            yield Tick(t("field.coach_supervised"), id="a-coach_supervised")
            yield Tick(t("field.programme_statistics"), id="a-programme_statistics")
            yield Label(t("field.confidentiality"))
            yield TextArea(id="a-confidentiality", soft_wrap=True, classes="half")
            yield from self.compose_hours_log()
            yield Tick(t("ui.framing.listed"), id="a-listed")
            yield Label(t("ui.framing.email"))
            yield KeptInput(id="a-email")

    def compose_hours_log(self) -> ComposeResult:
        """Paid or pro bono: the hours log's (issue 15 §2), the engagement's."""
        yield Static(t("ui.framing.hours_log"), classes="section")
        yield Tick(t("ui.framing.pro_bono"), id="a-pro_bono")

    def compose_group(self) -> ComposeResult:
        """A group's participants with the role map, and its charter."""
        from aoi_tui.screens.group_framing import ParticipantsTable

        with (
            TabPane(t("ui.framing.tab_participants"), id="tab-participants"),
            VerticalScroll(can_focus=False),
        ):
            yield ParticipantsTable(id="participants", cursor_type="row")
            yield Static(id="participants-hint", classes="explain")
            yield Static(t("ui.framing.role_map"), classes="section")
            yield Static(id="role-map", classes="explain")
        with (
            TabPane(t("ui.framing.tab_charter"), id="tab-charter"),
            VerticalScroll(can_focus=False),
        ):
            yield Static(t("ui.framing.charter_intro"), classes="explain")
            for point in CHARTER_POINTS:
                yield Label(t(f"ui.framing.charter_{point}"))
                yield TextArea(id=f"h-{point}", soft_wrap=True, classes="half")
            if self.form is Form.PEERS:
                yield Tick(t("ui.framing.charter_group_items"), id="h-group_items")
            yield Static(id="charter-agreed", classes="explain")
            yield from self.compose_hours_log()

    def compose_competencies(self) -> ComposeResult:
        group = self.form is not Form.INDIVIDUAL
        with Horizontal(classes="row"):
            yield Select(
                [(r.name, r.id) for r in referentials(language())],
                prompt=t("ui.framing.referential"),
                id="c-referential",
            )
            yield KeptInput(placeholder=t("ui.framing.own_competency"), id="c-own")
        if group:
            yield Static(id="c-whom", classes="explain")
        yield DataTable(id="competencies", cursor_type="row")
        hint = "ui.framing.competency_hint_group" if group else "ui.framing.competency_hint"
        yield Static(t(hint), classes="explain")
        yield Static(t("ui.framing.strategy_title"), classes="section")
        with Horizontal(classes="row"):
            yield Select(
                [(t(f"level.{lvl.value}"), lvl.value) for lvl in Level],
                prompt=t("ui.framing.competence_level"),
                id="s-competence",
            )
            yield Select(
                [(t(f"ui.motivation.{m}"), m) for m in MOTIVATION],
                prompt=t("ui.framing.motivation"),
                id="s-motivation",
            )
        yield Static(id="strategy-grid")
        yield KeptInput(placeholder=t("ui.framing.strategy"), id="s-strategy")

    # -- loading -------------------------------------------------------------------------

    def on_mount(self) -> None:
        from aoi_tui.screens.group_room import framing_room

        engagement = self.load()
        if engagement is not None and not engagement.individual:
            self.group = engagement
        # a three-way meeting: the N+1 is in the room; a group with no N+1 at all, the group
        self.opening_room = framing_room(engagement)
        self.aoi.room = self.opening_room
        objectives = self.query_one("#objectives", DataTable)
        whose = ("whose",) if self.group else ()  # one coachee's: all theirs, unsaid
        # whose before the text: a long statement or name runs past 80 columns
        for key in ("area", *whose, "statement", "status"):
            objectives.add_column(t(f"ui.col.{key}"), key=key)
        competencies = self.query_one("#competencies", DataTable)
        for key in (*whose, "competency", "start", "target"):
            competencies.add_column(t(f"ui.col.{key}"), key=key)
        self.query_one("#f-programme", Select).set_options(programme_sites(self.aoi.unlocked))
        self.named = engagement.coachee if engagement else ""
        self.show_the_view()
        self.fill(engagement)
        for field in self.query(KeptInput):
            field.forget_changes()  # ctrl+z goes back to what was saved, no further
        self.opened = (
            (engagement, list(self.objectives), list(self.competencies)) if engagement else None
        )
        self.opened_values = {
            name: self.query_one(f"#{name}", Input).value.strip() for name in self.GUARDED
        }
        self.query_one("#f-coachee", Input).focus()
        # what is typed is saved every few seconds, as notes are: a dropped SSH link
        # in the middle of a three-way meeting loses nothing
        self.call_after_refresh(self._mark_opened)
        self.set_interval(self.AUTOSAVE_S, self.autosave)

    AUTOSAVE_S = 3.0

    GUARDED = {
        "f-coachee": "field.coachee",
        "f-sponsor": "field.sponsor",
        "f-coach": "field.coach",
        "f-organisation": "field.organisation",
        "f-planned": "field.planned_sessions",
        "f-cadence": "ui.framing.cadence_days",
    }
    """Fields whose saved text the autosave never empties: an emptied one waits for
    ctrl+o (or ctrl+z), since a slip of the keys empties a field as well as intent."""

    def _form_state(self) -> tuple[object, ...]:
        """What the coach has typed or chosen, but not the fields that only add an
        objective or a competency (those are saved once added)."""
        fields = tuple(
            (w.id, form_value(w))
            for w in self.query("Input, TextArea, Checkbox, Select")
            if w.id and not w.id.startswith(("o-", "c-"))
        )
        records = tuple(r.model_dump_json() for r in [*self.objectives, *self.competencies])
        return fields, records, tuple(self.removed)

    def _mark_opened(self) -> None:
        self.saved_state = self.opened_state = self._form_state()

    def emptied(self) -> list[str]:
        """The guarded fields that held saved text and are empty now, by their label."""
        return [
            t(label).rstrip(" :")
            for name, label in self.GUARDED.items()
            if self.opened_values.get(name)
            and not self.query_one(f"#{name}", Input).value.strip()
            and (name, self.form) != ("f-sponsor", Form.PEERS)  # a peer group's may go
        ]

    def chosen_form(self) -> Form:
        """Who is accompanied: as composed, or as chosen for a new engagement."""
        chosen = self.query("#f-form").results(Select)  # on a new engagement's framing only
        for select in chosen:
            return Form(str(select.value))
        return self.form

    @on(Select.Changed, "#f-form")
    def form_chosen(self, event: Select.Changed) -> None:
        """A team or a peer group chosen for a new engagement: made at once (its name
        and, for a team, its N+1 needed), then framed as a group."""
        for field in ("coachee", "sponsor"):  # named as the form chosen says
            label = self.field_label(field, self.chosen_form())
            self.query_one(f"#l-{field}", Label).update(label)
        if event.value == Form.INDIVIDUAL.value or self.saved_state is None:
            return
        if not self.names_given():  # what to do next, not the model's refusal
            key = "ui.framing.team_names_first"
            if self.chosen_form() is Form.PEERS:
                key = "ui.framing.peers_name_first"
            self.say(t(key), error=False)
            return
        if self.save():
            self.reopen_as_group()

    def made_a_group(self, existing: Engagement) -> Engagement:
        """A new engagement the autosave made for one person before the coach chose a
        team or a peer group: it becomes that group (the name typed is the group's),
        as long as nothing was held in it. Its one participant's row goes: the
        coach named a group, not a person."""
        ef = self.aoi.unlocked.engagement(existing.id)
        if self.opened is not None or ef.sessions() or not existing.individual:
            raise ValueError(t("ui.framing.form_fixed"))
        data = existing.model_dump()
        data.update(form=self.chosen_form(), group=existing.coachee, participants=[])
        group = Engagement.model_validate(data)
        with ef.batch():
            ef.delete(Participant, existing.participants[0].id)
            ef.update(group)
        return group

    def reopen_as_group(self) -> None:
        """A new engagement just made as a group: to its screen, where `f` frames it
        with the group's tabs (participants, charter). Only on the coach's own key (the
        choice, ctrl+o), never from the autosave: keys typed meanwhile would land on
        another screen."""
        engagement_id = self.engagement_id
        if engagement_id is None:
            return
        if self.aoi.unlocked.engagement(engagement_id).engagement().individual:
            return
        self.notify(t("ui.framing.group_made"))
        self.go_back(engagement_id)  # the list opens the engagement's screen

    def names_given(self) -> bool:
        """The names an engagement needs: the coachee's (a group's) and the N+1's
        (a peer group may have none)."""
        form = self.chosen_form()
        needed = ("coachee",) if form is Form.PEERS else ("coachee", "sponsor")
        return all(self.query_one(f"#f-{f}", Input).value.strip() for f in needed)

    def autosave(self) -> None:
        if self.saved_state is None:
            return
        state = self._form_state()
        if state == self.saved_state or not self.names_given():
            return
        if self.form is Form.INDIVIDUAL and self.chosen_form() is not Form.INDIVIDUAL:
            return  # a new group is made on the coach's key (reopen_as_group)
        emptied = self.emptied()
        if emptied:
            message = t("ui.framing.autosave_waits", fields=", ".join(emptied))
            self.query_one("#framing-message", Static).update(Text(message))
            return
        self.save(quiet=True)

    def load(self) -> Engagement | None:
        if self.engagement_id is None:
            return None
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        self.objectives = ef.objectives()
        self.competencies = ef.competencies()
        return ef.engagement()

    def fill(self, e: Engagement | None) -> None:
        def put(selector: str, value: str) -> None:
            self.query_one(selector, Input).value = value

        fmt = e.format if e else Format(self.aoi.settings.default_format)
        self.chosen_format = fmt  # the planned sessions follow a change of format (format_changed)
        put("#f-coachee", e.coachee if e else "")
        put("#f-sponsor", e.sponsor if e else "")
        put("#f-coach", e.coach if e else "")
        put("#f-organisation", e.organisation if e else "")
        self.query_one("#f-format", Select).value = fmt.value
        if e:
            put("#f-planned", str(e.planned_sessions))
            put("#f-cadence", str(e.cadence_days))
        else:  # proposed, not saved: typing replaces them
            self.query_one("#f-planned", KeptInput).propose(str(PLANNED_SESSIONS[fmt]))
            self.query_one("#f-cadence", KeptInput).propose("21")
        self.show_planned()
        self.query_one("#f-coachee-exp", TextArea).load_text(e.coachee_expectations if e else "")
        self.query_one("#f-sponsor-exp", TextArea).load_text(e.sponsor_expectations if e else "")
        self.query_one("#a-pro_bono", Checkbox).value = bool(e and e.pro_bono)
        self.membership = membership_value(self.aoi.unlocked, e.id) if e else None
        programme = self.query_one("#f-programme", Select)
        programme.value = (
            self.membership
            if self.membership in {value for _, value in programme_sites(self.aoi.unlocked)}
            else Select.NULL
        )
        if e and e.strategy_competence:
            self.query_one("#s-competence", Select).value = e.strategy_competence.value
        if e and e.strategy_motivation:
            self.query_one("#s-motivation", Select).value = e.strategy_motivation
        put("#s-strategy", e.strategy if e else "")
        self.show_objectives()
        self.show_competencies()
        self.show_grid()
        if e is not None and not e.individual:
            self.fill_group(e)
        else:
            self.fill_agreement(e)

    def fill_group(self, e: Engagement) -> None:
        charter = e.charter or Charter()
        for point in CHARTER_POINTS:
            self.query_one(f"#h-{point}", TextArea).load_text(getattr(charter, point))
        if self.form is Form.PEERS:
            self.query_one("#h-group_items", Checkbox).value = charter.group_items_to_sponsors
        self.show_group(e)

    def fill_agreement(self, e: Engagement | None) -> None:
        def put(selector: str, value: str) -> None:
            self.query_one(selector, Input).value = value

        agreement = e.agreement if e else Agreement()
        self.query_one("#a-consent", Checkbox).value = agreement.consent_date is not None
        put("#a-consent-date", agreement.consent_date.isoformat() if agreement.consent_date else "")
        for flag in ("report_attendance", "report_objective_status", "report_competencies"):
            self.query_one(f"#a-{flag}", Checkbox).value = getattr(agreement, flag)
        self.query_one("#a-withdraw", Checkbox).value = agreement.right_to_withdraw
        self.query_one("#a-coach_supervised", Checkbox).value = agreement.coach_supervised
        self.query_one("#a-programme_statistics", Checkbox).value = bool(
            e and e.individual and e.participants[0].programme_statistics
        )
        self.query_one("#a-confidentiality", TextArea).load_text(
            agreement.confidentiality or default_confidentiality()
        )
        self.query_one("#a-listed", Checkbox).value = agreement.listed_in_hours_log
        put("#a-email", e.participants[0].email if e else "")

    # -- a group: participants, role map, charter ----------------------------------------------

    def show_group(self, e: Engagement | None = None) -> None:
        """The participants' table, the role map and who agreed to the charter, from
        the store. Each one's agreement shows with the coach alone: not before the
        N+1 (the framing's room), nor before the group."""
        from aoi_tui.screens.group_framing import role_map_lines, show_participants

        ef = self.aoi.unlocked.engagement(self.engagement_id or "")
        e = e or ef.engagement()
        if self.group is not None and e.participants != self.group.participants:
            self.group = e  # someone added, renamed or erased: whom each item concerns
            self.show_roadmap()
        alone = self.aoi.room is Room.COACH
        table = self.query_one("#participants", DataTable)
        if not table.columns:
            for key in ("name", "sponsor", "agreement", "charter"):
                table.add_column(t(f"ui.framing.col_{key}"), key=key)
        show_participants(table, e, agreements=alone)
        hint = PARTICIPANTS_HINT[self.aoi.room]
        self.query_one("#participants-hint", Static).update(t(hint))
        self.query_one("#role-map", Static).update(
            Text("\n".join(role_map_lines(e, ef.sessions())))
        )
        agreed = [p.name for p in e.participants if p.agreed_to(e.charter)]
        waiting = [
            p.name for p in e.participants if p.withdrawn_on is None and not p.agreed_to(e.charter)
        ]
        words = t("ui.framing.charter_agreed", names=", ".join(agreed) or "—")
        if alone:
            words += "\n" + t("ui.framing.charter_waiting", names=", ".join(waiting) or "—")
        self.query_one("#charter-agreed", Static).update(Text(words))

    def show_the_view(self) -> None:
        """The subtitle: the kickoff, the view the screen is in (whoever is in the
        room besides the coach), then the engagement's name (cut first at 80 columns)."""
        with_the_group = self.opening_room is Room.GROUP
        group = self.form is not Form.INDIVIDUAL  # a group's kickoff is no three-way one
        with_n1 = "session.kind.group_kickoff" if group else "session.kind.kickoff"
        words = [t("ui.framing.kickoff_group" if with_the_group else with_n1)]
        if self.aoi.room is not Room.COACH:
            view = VIEW_WORDS[self.aoi.room]
            words[0] += f" · {t(view)}"
        if self.named:
            words.append(self.named)
        self.sub_title = " — ".join(words)

    def alone_first(self) -> str:
        """Why a person's agreement is not opened now: whoever is in the room, and the
        key that leaves the coach alone."""
        group = self.aoi.room is Room.GROUP
        return t(
            "ui.framing.participants_alone_group" if group else "ui.framing.participants_alone"
        )

    def room_changed(self, room: Room) -> None:
        self.show_the_view()
        if self.form is not Form.INDIVIDUAL and self.engagement_id is not None:
            self.show_group()
            self.show_roadmap()  # one person's own items listed with the coach alone only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_group_safe", "choose_about"):
            return self.in_a_group()
        return super().check_action(action, parameters)

    def in_a_group(self) -> bool:
        """ctrl+b brings the group in, or leaves the coach alone with the framing."""
        return self.form is not Form.INDIVIDUAL

    def room_after_sponsor(self) -> Room:
        """F2 off: the coach alone, as after a three-way kickoff; a group with no
        N+1 stays in the room it was framed with."""
        return self.opening_room if self.opening_room is Room.GROUP else Room.COACH

    @on(DataTable.RowSelected, "#participants")
    def edit_participant(self, event: DataTable.RowSelected) -> None:
        self.open_participant(str(event.row_key.value))

    def action_add_participant(self) -> None:
        self.open_participant(None)

    def open_participant(self, participant_id: str | None) -> None:
        """The participant's form, with the coach alone (each one's agreement is theirs)."""
        from aoi_tui.screens.group_framing import ParticipantScreen

        if self.aoi.room is not Room.COACH:
            self.say(self.alone_first())
            return
        if self.engagement_id is None:
            return

        def done(changed: bool | None) -> None:
            if changed:
                self.show_group()

        self.app.push_screen(ParticipantScreen(self.engagement_id, participant_id), done)

    def erase_participant(self) -> None:
        """F6 on a participant: erased for good (a GDPR request), after a question."""
        from aoi_tui.screens.resume import ConfirmScreen
        from aoi_tui.store.participant_erasure import erase_participant

        row = self._row("participants")
        if row is None or self.engagement_id is None:
            return
        if self.aoi.room is not Room.COACH:
            self.say(self.alone_first())
            return
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        person = ef.engagement().participants[row]

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            # what is typed is saved first, then everything read again from the
            # erased store: a copy kept here (their own objective, their name in a
            # text, the snapshot Escape goes back to) would write them back
            if self._form_state() != self.saved_state and not self.save():
                return
            with failures_said(self):
                erase_participant(ef, person.id)
                self.notify(t("ui.framing.erased", name=person.name))
            self.read_again()

        question = t("ui.framing.erase_question", name=person.name)
        self.app.push_screen(ConfirmScreen(t("ui.framing.erase_title"), question), answer)

    def read_again(self) -> None:
        """The framing as the store holds it now (after an erasure), and the state
        Escape goes back to with it."""
        engagement = self.load()
        if engagement is not None and not engagement.individual:
            self.group = engagement
        self.removed.clear()
        self.fill(engagement)
        for field in self.query(KeptInput):
            field.forget_changes()  # ctrl+z must not bring an erased name back
        if self.opened is not None and engagement is not None:
            self.opened = (engagement, list(self.objectives), list(self.competencies))
        self.saved_state = self._form_state()

    # -- planned sessions: the planning screen's (F9) ---------------------------------------------

    def show_planned(self) -> None:
        """The sessions planned from today (cancelled ones aside), as the planning
        screen lists them: the framing only shows them."""
        from aoi_tui.domain.planning import PlannedSession, PlanStatus
        from aoi_tui.screens.planning import planned_line

        said = self.query_one("#f-planned-list", Static)
        if self.engagement_id is None:
            said.update(t("ui.framing.planned_none"))
            return
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        today = clock.today()
        held = [s.held_on for s in ef.sessions()]
        ahead = sorted(
            (p for p in ef.all(PlannedSession) if p.status is PlanStatus.PLANNED and p.on >= today),
            key=lambda p: (p.on, p.at or p.created_at.time()),
        )
        lines = [planned_line(p, held, today) for p in ahead[:3]]
        if len(ahead) > 3:
            lines.append(plural("ui.framing.planned_more", len(ahead) - 3))
        said.update(Text("\n".join(lines) if lines else t("ui.framing.planned_none")))

    def action_plan(self) -> None:
        """F9: the planning screen, the one place planned sessions are written; a new
        engagement is saved first (a session is planned for an engagement)."""
        from aoi_tui.screens.planning import PlanningScreen

        changed = self._form_state() != self.saved_state or self.engagement_id is None
        if changed and not self.save():
            return
        assert self.engagement_id is not None
        self.app.push_screen(PlanningScreen(self.engagement_id))

    def on_screen_resume(self) -> None:
        """Back from the planning screen (it pops itself): what it planned shows."""
        if self.saved_state is not None:
            self.show_planned()

    # -- objectives and competencies -----------------------------------------------------------

    def show_objectives(self) -> None:
        table = self.query_one("#objectives", DataTable)
        table.clear()
        for o in self.listed(self.objectives):
            table.add_row(
                t(f"area.{o.area.value}") if o.area else "—",
                *self.whose(o),
                Text(o.statement),
                t(f"objective.{o.status.value}"),
                key=o.id,
            )
        self.show_whom("o")

    def show_competencies(self) -> None:
        table = self.query_one("#competencies", DataTable)
        table.clear()
        for c in self.listed(self.competencies):
            table.add_row(
                *self.whose(c),
                Text(c.name),
                t(f"level.{c.start_level.value}") if c.start_level else "—",
                t(f"level.{c.target.value}") if c.target else "—",
                key=c.id,
            )
        self.show_whom("c")

    def show_roadmap(self) -> None:
        self.show_objectives()
        self.show_competencies()

    def listed(self, records: list[Roadmap]) -> list[Roadmap]:
        """What a table lists with whoever is in the room (`group_room.listed_in_framing`)."""
        if self.group is None:
            return records
        room = self.aoi.room
        return [r for r in records if group_room.listed_in_framing(r, self.group, room)]

    def whose(self, record: Objective | Competency) -> tuple[str, ...]:
        """A group's table's last cell: whom the item concerns, as the notes list says it."""
        if self.group is None:
            return ()
        short = group_room.short_names(self.group)
        return (group_room.whom_in_short(record, self.group, self.aoi.room, short),)

    # -- whom an objective or a competency concerns (a group's) -----------------------------

    WHOM_FIELDS = {"o": "#o-statement", "c": "#c-own"}
    """Where the next objective's and competency's text is typed (an @ there names whom)."""

    def whom_of(self, kind: str, text: str) -> group_room.Whom:
        """Whom the next item concerns: an `@prefix` typed in its text, else the
        person or the group chosen with ctrl+r (the live input's rule)."""
        assert self.group is not None
        return group_room.whom_unless_named(text, self.chosen_about[kind], self.group)

    def show_whom(self, kind: str) -> None:
        """The line that says whom the next item concerns; with the N+1 or the group
        in the room, a person's name is not said and what is typed is masked."""
        from aoi_tui.screens.note_input import about_line

        if self.group is None:
            return
        field = self.query_one(self.WHOM_FIELDS[kind], Input)
        about = self.whom_of(kind, field.value)
        # before the N+1 as before the group: masked as a note is with the group in
        hidden = self.aoi.room is not Room.COACH and group_room.masked(
            Room.GROUP, about, field.value
        )
        field.password = hidden
        line = Text(t("ui.framing.about_hidden")) if hidden else about_line(about)
        self.query_one(f"#{kind}-whom", Static).update(line)

    @on(Input.Changed, "#o-statement")
    @on(Input.Changed, "#c-own")
    def typed_whom(self, event: Input.Changed) -> None:
        self.show_whom("o" if event.input.id == "o-statement" else "c")

    def action_choose_about(self) -> None:
        """ctrl+r: on a row, whom that objective or competency concerns; in the form,
        whom the next one concerns: the group, then each participant, round."""
        if self.group is None:
            return
        tab = self.query_one("#framing-tabs", TabbedContent).active
        kind = {"tab-objectives": "o", "tab-competencies": "c"}.get(tab)
        if kind is None:
            return
        options = [tuple(o) for o in group_room.choices(self.group)]
        table_id = "objectives" if kind == "o" else "competencies"
        record = self._cursor_record(table_id) if self.focused is self._table(table_id) else None
        if record is None:
            now = self.chosen_about[kind]
            self.chosen_about[kind] = (
                options[(options.index(now) + 1) % len(options)] if now in options else options[0]
            )
            self.show_whom(kind)
            return
        now = tuple(record.about)
        record.about = list(
            options[(options.index(now) + 1) % len(options)] if now in options else options[0]
        )
        self.show_roadmap()
        self._move_to(table_id, record.id)

    def resolved(self, kind: str, text: str) -> tuple[str, list[str]] | None:
        """An item's text and whom it concerns, its `@prefix`es spoken as names; None
        (said) when an @ names no one or several people: a person is never guessed."""
        if self.group is None:
            return text, []
        about = self.whom_of(kind, text)
        if about.problems:
            hidden = self.aoi.room is not Room.COACH
            self.say(t("ui.framing.about_problem_hidden") if hidden else about.problems[0])
            return None
        # the shorthand (`@kar`, `@groupe`) becomes what the row's whom says
        return spoken(text, about.people), list(about.about)

    @on(Input.Submitted, "#o-statement")
    @on(Input.Submitted, "#o-indicator")
    @on(Input.Submitted, "#o-expected")
    def add_objective(self) -> None:
        statement = clean(self.query_one("#o-statement", Input).value).strip()
        if not statement:
            self.say(t("ui.framing.statement_needed"))
            self.query_one("#o-statement", Input).focus()
            return
        said = self.resolved("o", statement)
        if said is None:
            self.query_one("#o-statement", Input).focus()
            return
        statement, about = said
        area = self.query_one("#o-area", Select).value
        self.objectives.append(
            Objective(
                statement=statement,
                about=about,
                area=Area(str(area)) if area is not Select.NULL else None,
                indicator=self.query_one("#o-indicator", Input).value,
                expected_result=self.query_one("#o-expected", Input).value,
            )
        )
        for selector in ("#o-statement", "#o-indicator", "#o-expected"):
            self.query_one(selector, Input).value = ""
        self.query_one("#o-area", Select).clear()  # the next objective's area is chosen anew
        self.query_one("#o-statement", Input).focus()
        self.show_objectives()

    @on(Select.Changed, "#f-format")
    def format_changed(self, event: Select.Changed) -> None:
        """The planned sessions follow the format, unless the coach typed another number."""
        before = self.chosen_format
        if (
            event.value is Select.NULL
            or event.value != event.select.value  # stale: the Select's own first value
            or before is None  # not filled in yet
            or event.value == before.value  # filled in, or no change
        ):
            return
        planned = self.query_one("#f-planned", KeptInput)
        if planned.value.strip() in ("", str(PLANNED_SESSIONS[before])):
            planned.propose(str(PLANNED_SESSIONS[Format(str(event.value))]))
        self.chosen_format = Format(str(event.value))

    @on(Select.Changed, "#c-referential")
    def use_referential(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        chosen = next(r for r in referentials(language()) if r.id == event.value)
        # for whom ctrl+r chose (the group's by default): a referential may serve each one
        about = list(self.chosen_about["c"]) if self.group is not None else []
        have = {c.name for c in self.competencies if c.about == about}
        added = [to_competency(c) for c in chosen.competencies if c.name not in have]
        self.competencies += [c.model_copy(update={"about": about}) for c in added]
        self.show_competencies()

    @on(DataTable.RowSelected, "#competencies")
    def edit_competency(self, event: DataTable.RowSelected) -> None:
        """Enter on a competency: edit its name and observable behaviours for this
        engagement (first line the name, then one behaviour per line)."""
        from aoi_tui.screens.note_editor import NoteEditorScreen

        competency = next(c for c in self.competencies if c.id == event.row_key.value)
        text = "\n".join([competency.name, *(f"- {b}" for b in competency.behaviours)])

        def edited(result: tuple[str, bool] | None) -> None:
            if result is None or not result[1]:
                return
            lines = [line.strip() for line in result[0].splitlines() if line.strip()]
            if not lines:
                return
            name = lines[0]
            if self.group is not None:  # an @ in the name says whom it concerns now
                about = group_room.whom_unless_named(name, competency.about, self.group)
                if about.problems:
                    self.say(
                        about.problems[0]
                        if self.aoi.room is Room.COACH
                        else t("ui.framing.about_problem_hidden")
                    )
                    return
                name = spoken(name, about.people)
                competency.about = list(about.about)
            competency.name = name
            competency.behaviours = [line.lstrip("-•* ").strip() for line in lines[1:]]
            self.show_competencies()
            self._move_to("competencies", competency.id)

        self.app.push_screen(NoteEditorScreen(text, t("ui.framing.edit_competency")), edited)

    @on(Input.Submitted, "#c-own")
    def add_own_competency(self, event: Input.Submitted) -> None:
        name = clean(event.value).strip()
        said = self.resolved("c", name) if name else None
        if said is not None:
            name, about = said
            self.competencies.append(Competency(name=name, target=Level.ACQUIRED, about=about))
            event.input.value = ""
            self.show_competencies()

    def _row(self, table_id: str) -> int | None:
        table = self.query_one(f"#{table_id}", DataTable)
        return table.cursor_row if table.row_count else None

    def _table(self, table_id: str) -> DataTable[object]:
        return self.query_one(f"#{table_id}", DataTable)

    def _cursor_record(self, table_id: str) -> Objective | Competency | None:
        """The objective or competency under the cursor, by its row's key: a group's
        table lists only what the room may see, so its rows are not the list's."""
        table = self._table(table_id)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        records = self.objectives if table_id == "objectives" else self.competencies
        return next((r for r in records if r.id == key), None)

    def _move_to(self, table_id: str, record_id: str) -> None:
        table = self._table(table_id)
        with contextlib.suppress(Exception):  # no longer listed (moved to a person)
            table.move_cursor(row=table.get_row_index(record_id))

    def action_cycle(self) -> None:
        """F7: objective status, or a competency's starting level."""
        tab = self.query_one("#framing-tabs", TabbedContent).active
        if tab == "tab-objectives" and isinstance(
            o := self._cursor_record("objectives"), Objective
        ):
            o.status = next_in(list(ObjectiveStatus), o.status)
            self.show_objectives()
            self._move_to("objectives", o.id)
        elif tab == "tab-competencies" and isinstance(
            c := self._cursor_record("competencies"), Competency
        ):
            c.start_level = next_in(LEVELS, c.start_level)
            self.show_competencies()
            self._move_to("competencies", c.id)

    def action_cycle_target(self) -> None:
        """F8: a competency's target level."""
        c = self._cursor_record("competencies")
        if self.query_one(
            "#framing-tabs", TabbedContent
        ).active != "tab-competencies" or not isinstance(c, Competency):
            return
        c.target = next_in(LEVELS, c.target)
        self.show_competencies()
        self._move_to("competencies", c.id)

    def action_remove(self) -> None:
        tab = self.query_one("#framing-tabs", TabbedContent).active
        if tab == "tab-objectives" and isinstance(
            o := self._cursor_record("objectives"), Objective
        ):
            self.objectives.remove(o)
            self.removed.append((Objective, o.id))
            self.show_objectives()
        elif tab == "tab-competencies" and isinstance(
            c := self._cursor_record("competencies"), Competency
        ):
            self.competencies.remove(c)
            self.removed.append((Competency, c.id))
            self.show_competencies()
        elif tab == "tab-participants":
            self.erase_participant()

    # -- strategy grid ------------------------------------------------------------------------------

    @on(Select.Changed, "#s-competence")
    @on(Select.Changed, "#s-motivation")
    def show_grid(self) -> None:
        competence = self.query_one("#s-competence", Select).value
        motivation = self.query_one("#s-motivation", Select).value
        grid = Text(t("ui.framing.grid_header") + "\n")
        for m in reversed(MOTIVATION):
            grid.append(f"{t(f'ui.motivation.{m}'):>12} ")
            for lvl in Level:
                here = competence == lvl.value and motivation == m
                grid.append("[ X ]" if here else "[   ]", style="bold reverse" if here else "")
            grid.append("\n")
        grid.append(" " * 13 + "".join(f" {lvl.value}   " for lvl in Level))
        grid.append("  " + t("ui.framing.grid_axis"))
        self.query_one("#strategy-grid", Static).update(grid)

    # -- saving -----------------------------------------------------------------------------------------

    def say(self, message: str, *, error: bool = True) -> None:
        # also as a notification: the line under the tabs can be out of view on a long tab
        self.query_one("#framing-message", Static).update(Text(message))
        self.notify(message, severity="error" if error else "information")

    def _date(self, selector: str) -> date | None:
        raw = self.query_one(selector, Input).value.strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValueError(t("ui.debrief.bad_date", value=raw)) from None

    def _int(self, selector: str) -> int:
        """A count typed in a field; empty, it is refused (a default would silently
        replace the number that was there)."""
        raw = self.query_one(selector, Input).value.strip()
        try:
            return int(raw)
        except ValueError:
            label = t(self.GUARDED.get(selector.lstrip("#"), "field.planned_sessions"))
            raise ValueError(t("ui.framing.number_needed", field=label.rstrip(" :"))) from None

    def collect_agreement(self) -> tuple[Agreement, bool]:
        """One coachee's three-way agreement as the tab says, and whether they consent."""
        consent_date = self._date("#a-consent-date")
        # a date typed is consent given that day, box ticked or not
        consent = self.query_one("#a-consent", Checkbox).value or consent_date is not None
        if consent and consent_date is None:
            consent_date = clock.today()
        agreement = Agreement(
            consent_date=consent_date if consent else None,
            confidentiality=self.query_one("#a-confidentiality", TextArea).text,
            report_attendance=self.query_one("#a-report_attendance", Checkbox).value,
            report_objective_status=self.query_one("#a-report_objective_status", Checkbox).value,
            report_competencies=self.query_one("#a-report_competencies", Checkbox).value,
            right_to_withdraw=self.query_one("#a-withdraw", Checkbox).value,
            coach_supervised=self.query_one("#a-coach_supervised", Checkbox).value,
            listed_in_hours_log=self.query_one("#a-listed", Checkbox).value,
        )
        return agreement, consent

    def collect_charter(self, existing: Charter | None) -> Charter | None:
        """The group's charter as the tab says (None while nothing is written)."""
        texts = {p: self.query_one(f"#h-{p}", TextArea).text for p in CHARTER_POINTS}
        to_sponsors = self.form is Form.PEERS and self.query_one("#h-group_items", Checkbox).value
        if existing is None and not any(t_.strip() for t_ in texts.values()) and not to_sponsors:
            return None
        return Charter(**texts, group_items_to_sponsors=to_sponsors)

    def collect(self, existing: Engagement | None) -> Engagement:
        fmt = Format(str(self.query_one("#f-format", Select).value))
        form = existing.form if existing is not None else self.chosen_form()
        group = form is not Form.INDIVIDUAL
        if group:
            consent = existing is not None and any(p.consent_date for p in existing.participants)
        else:
            agreement, consent = self.collect_agreement()
        competence = self.query_one("#s-competence", Select).value
        motivation = self.query_one("#s-motivation", Select).value
        values: dict[str, object] = {
            "coachee": self.query_one("#f-coachee", Input).value,
            "sponsor": self.query_one("#f-sponsor", Input).value,
            "coach": self.query_one("#f-coach", Input).value,
            "organisation": self.query_one("#f-organisation", Input).value,
            "format": fmt,
            "planned_sessions": self._int("#f-planned"),
            "cadence_days": self._int("#f-cadence"),
            # next_session is not the framing's: the planned sessions keep it (store/agenda.py)
            "coachee_expectations": self.query_one("#f-coachee-exp", TextArea).text,
            "sponsor_expectations": self.query_one("#f-sponsor-exp", TextArea).text,
            "pro_bono": self.query_one("#a-pro_bono", Checkbox).value,
            "strategy_competence": Level(int(str(competence)))
            if competence is not Select.NULL
            else None,
            "strategy_motivation": str(motivation) if motivation is not Select.NULL else None,
            "strategy": self.query_one("#s-strategy", Input).value,
        }
        if existing is None:
            values["form"] = form
        if group and self.form is not Form.INDIVIDUAL:  # the charter's tab is there
            assert existing is not None
            values["charter"] = self.collect_charter(existing.charter)
        elif not group:
            values["agreement"] = agreement
        if existing is None:
            engagement = Engagement(**values)
        else:
            data = existing.model_dump()
            data.update(values)
            if existing.status is Status.FRAMING and consent:
                data["status"] = Status.ACTIVE
            engagement = Engagement.model_validate(data)
        if engagement.individual:  # the coachee's own flag and e-mail, beside the agreement
            coachee = engagement.participants[0].model_dump()
            coachee["programme_statistics"] = self.query_one(
                "#a-programme_statistics", Checkbox
            ).value
            coachee["email"] = clean(self.query_one("#a-email", Input).value).strip()
            engagement.participants[0] = Participant.model_validate(coachee)
        chosen = self.query_one("#f-programme", Select).value
        if str(chosen).endswith(f"|{ACROSS}") and engagement.form is not Form.PEERS:
            raise ValueError(t("ui.framing.across_peers_only"))
        return engagement

    @saves
    def save(self, quiet: bool = False) -> bool:
        """Save the framing; `quiet` (as typed): an incomplete field waits, unsaid."""
        store = self.aoi.unlocked
        existing = store.engagement(self.engagement_id).engagement() if self.engagement_id else None
        try:
            if existing is not None and existing.form is not self.chosen_form():
                existing = self.made_a_group(existing)
            engagement = self.collect(existing)
        except ValidationError as exc:
            if quiet:
                return False
            problem = first_problem(exc)
            self.say(t("ui.framing.invalid", where=problem.where or "—", reason=problem.reason))
            return False
        except ValueError as exc:
            if not quiet:
                self.say(str(exc))
            return False
        if existing is None:
            engagement.status = (
                Status.ACTIVE if engagement.agreement.consent_date else Status.FRAMING
            )
            try:
                store.create_engagement(engagement)
            finally:
                # created (its key saved) even if what followed failed: the next
                # save updates it rather than creating a second one
                if engagement.id in store.keyfile.engagement_keys:
                    self.engagement_id = engagement.id
        ef = store.engagement(engagement.id)
        with ef.batch():
            ef.update(engagement)
            for cls, record_id in self.removed:
                with contextlib.suppress(KeyError):  # removed before it was ever saved
                    ef.delete(cls, record_id)
            have = {o.id for o in ef.objectives()} | {c.id for c in ef.competencies()}
            for record in [*self.objectives, *self.competencies]:
                (ef.update if record.id in have else ef.insert)(record)
        self.removed.clear()
        before = self.membership
        self.membership = enrol_as_chosen(
            store, engagement, before, self.query_one("#f-programme", Select).value
        )
        if self.membership != before:  # its competencies may have got their referential ids
            self.competencies = store.engagement(engagement.id).competencies()
        store.refresh_summary(engagement.id)
        self.saved_state = self._form_state()
        if self.form is not Form.INDIVIDUAL:  # a changed charter is agreed to again: said
            self.show_group()
        if quiet:
            self.query_one("#framing-message", Static).update(Text(t("ui.framing.autosaved")))
        else:
            self.say(t("ui.framing.saved"), error=False)
        return True

    def action_next_tab(self) -> None:
        """F4: the next tab, its first field focused (the tab bar was reached only by
        shift+tab from the top field, said nowhere)."""
        tabs = self.query_one("#framing-tabs", TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane) if pane.id]
        following = panes[(panes.index(tabs.active) + 1) % len(panes)]
        # the field is focused now, before the tab changes, and the tab set here, not
        # through the tab bar's message: in a burst (F4 F4 F5 then a name) each key must
        # find the tab the one before it opened. Focused later (widget.focus() waits a
        # turn), the hidden tab's field kept the focus, Textual handed it to a field
        # beside it in the same hidden tab, and that tab came back (CI, 2026-11-30)
        field = next((w for w in tabs.get_pane(following).query("*") if w.focusable), None)
        if field is not None:
            self.set_focus(field)
        tabs.active = following

    def action_save(self) -> None:
        if self.save() and self.form is Form.INDIVIDUAL:
            self.reopen_as_group()  # a new group, made now

    def action_leave(self) -> None:
        names = [self.query_one(f"#f-{f}", Input).value.strip() for f in ("coachee", "sponsor")]
        if self.engagement_id is None and not any(names):
            self.go_back(None)  # nothing typed: nothing to keep
            return
        if self.opened is None or self._form_state() == self.opened_state:
            self.keep_and_leave()  # a new engagement has nothing saved before to go back to
            return

        def answered(choice: str | None) -> None:
            if choice == "keep":
                self.keep_and_leave()
            elif choice == "revert" and self.revert():
                self.go_back(self.engagement_id)

        since = self.opened_at.strftime("%H:%M")
        self.app.push_screen(LeaveFramingScreen(since, self.emptied()), answered)

    def keep_and_leave(self) -> None:
        if self.save():
            self.go_back(self.engagement_id)

    def go_back(self, engagement_id: str | None) -> None:
        # the N+1 (or the group) stays in the room until F2 / ctrl+b says they left
        self.dismiss(engagement_id)

    @saves
    def revert(self) -> bool:
        """Put the framing back as it was saved when the screen opened: the engagement,
        its objectives and its competencies (what was added since goes, what was
        removed comes back)."""
        assert self.opened is not None
        original, objectives, competencies = self.opened
        store = self.aoi.unlocked
        ef = store.engagement(original.id)
        with ef.batch():  # one write: all of it, or nothing
            if not original.individual:
                # each participant's agreement is theirs, written as it was given (a
                # consent, a withdrawal): never put back with the framing's texts
                original = original.model_copy(
                    update={"participants": ef.engagement().participants}
                )
            ef.update(original)
            # all taken out and put back in their order: the roadmap reads as it did
            for record in [*ef.objectives(), *ef.competencies()]:
                ef.delete(type(record), record.id)
            for record in [*objectives, *competencies]:
                ef.insert(record)
        store.refresh_summary(original.id)
        self.notify(t("ui.framing.reverted"))
        return True


class LeaveFramingScreen(ModalScreen[str | None]):
    """Escape on a changed framing: its changes are saved as typed already; keep
    them, or go back to what was saved when the screen opened."""

    BINDINGS = [
        Binding("enter", "answer('keep')", t("ui.key.keep_back"), id="framing_leave.keep"),
        Binding("r", "answer('revert')", t("ui.key.revert"), id="framing_leave.revert"),
        Binding("escape", "answer(None)", t("ui.key.stay"), id="framing_leave.stay"),
    ]

    def __init__(self, since: str, emptied: list[str]) -> None:
        super().__init__()
        self.since = since
        self.emptied_fields = emptied

    def compose(self) -> ComposeResult:
        question = t("ui.framing.leave_question", since=self.since)
        if self.emptied_fields:
            question += "\n\n" + t(
                "ui.framing.leave_emptied", fields=", ".join(self.emptied_fields)
            )
        with Vertical(classes="dialog"):
            yield Static(t("ui.framing.leave_title"), classes="dialog-title")
            yield Static(Text(question))
        yield Footer(compact=True)

    def action_answer(self, choice: str | None) -> None:
        self.dismiss(choice)


def form_value(widget: Widget) -> object:
    """What a field of the form holds, whatever its kind."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input | Checkbox | Select):
        return widget.value
    return None


# -- the programme an engagement is in, and its site (issue 14) -----------------------------


def programme_sites(store: Store) -> list[tuple[str, str]]:
    """Every site of every programme joined here, as the framing offers them: the
    site chosen from the programme file's list, never typed."""
    from aoi_tui.programme.definition import Programme
    from aoi_tui.store.programme_book import BOOK, ProgrammeBook

    if not (store.root / BOOK).exists():
        return []
    book = ProgrammeBook(store)
    options = []
    for pid in book.joined_ids():
        entry = book.joined(pid)
        if entry is None:
            continue
        programme = Programme.model_validate(entry)
        for site in programme.sites:
            options.append((f"{programme.name} — {site.name}", f"{pid}|{site.code}"))
        options.append((t("ui.framing.across_sites", programme=programme.name), f"{pid}|{ACROSS}"))
    return options


ACROSS = "*"
"""The site of a peer group spanning several sites (counted at programme level only)."""


def membership_value(store: Store, engagement_id: str) -> str | None:
    from aoi_tui.store.programme_book import BOOK, ProgrammeBook

    if not (store.root / BOOK).exists():
        return None
    found = ProgrammeBook(store).membership(engagement_id)
    if found is None:
        return None
    return f"{found[0]}|{found[1] or ACROSS}"


def enrol_as_chosen(
    store: Store, engagement: Engagement, before: str | None, chosen: object
) -> str | None:
    """The engagement put in the programme and site chosen (or taken out), when
    that changed; what it is in now. Across sites is for a peer group only."""
    from aoi_tui.store.programme_book import ProgrammeBook

    now = None if chosen is Select.NULL else str(chosen)
    if now == before:
        return before
    book = ProgrammeBook(store)
    if now is None:
        book.leave(engagement.id)
        return None
    pid, _, site = now.partition("|")  # across sites: a peer group's (`collect` checked)
    book.enrol(pid, engagement.id, None if site == ACROSS else site)
    from aoi_tui.programme.sending import keep_referential_ids

    keep_referential_ids(store, engagement.id)
    return now
