"""A group's framing (issue 13 §1): the participants, each with their own
agreement (consent, what may be reported about them, a withdrawal, the hours
log's e-mail and listing), the role map (who is whose N+1 inside the group, who
brought the case in each peer session) and the charter with who agreed to it.

Every change to a person goes through the core's rules
(`domain/participants.py`: `give_consent`, `set_reporting`, `withdraw`,
`agree_to_charter`, `reporting_line_warning`; the models' own checks) and is
written at once; the charter's texts are part of the framing's form and saved
with it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar, cast

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, Select, Static

from aoi_tui.config.i18n import t
from aoi_tui.domain import clock
from aoi_tui.domain.models import Engagement, Form, Participant, Session, SessionKind, Status
from aoi_tui.domain.participants import (
    AgreementRefused,
    agree_to_charter,
    give_consent,
    name_taken,
    reporting_line_warning,
    set_reporting,
    withdraw,
)
from aoi_tui.domain.problems import first_problem
from aoi_tui.domain.text import clean
from aoi_tui.screens.base import saves, show_the_room
from aoi_tui.screens.fields import KeptInput
from aoi_tui.screens.toggles import Tick

if TYPE_CHECKING:
    from aoi_tui.screens.app import AoiApp

NOBODY = "-"
"""The role map's "reports to nobody in the group" (Select needs a value)."""

REPORTED = (
    ("own_items", "report_own_items"),
    ("attendance", "report_attendance"),
    ("objective_status", "report_objective_status"),
    ("competencies", "report_competencies"),
    ("programme_statistics", "programme_statistics"),
    ("listed_in_hours_log", "listed_in_hours_log"),
    ("coach_supervised", "coach_supervised"),
)
"""Each reporting flag: `set_reporting`'s keyword, and the widget's id suffix."""


def flag_of(p: Participant, keyword: str) -> bool:
    """A reporting flag as `set_reporting` names it."""
    flags = {
        "own_items": p.report_own_items,
        "attendance": p.agreement.report_attendance,
        "objective_status": p.agreement.report_objective_status,
        "competencies": p.agreement.report_competencies,
        "programme_statistics": p.programme_statistics,
        "listed_in_hours_log": p.agreement.listed_in_hours_log,
        "coach_supervised": p.agreement.coach_supervised,
    }
    return flags[keyword]


def consent_words(p: Participant) -> str:
    """A participant's state in a table cell: withdrew, consent, or none yet."""
    if p.withdrawn_on is not None:
        return t("ui.group.withdrew", date=p.withdrawn_on.isoformat())
    if p.consent_date is None:
        return t("ui.group.no_consent")
    return t("ui.group.consent", date=p.consent_date.isoformat())


def role_map_lines(engagement: Engagement, sessions: list[Session]) -> list[str]:
    """The role map in words: each reporting line inside the group (with the core's
    warning in a peer group), then who brought the case in each peer session."""
    people = engagement.participants
    lines: list[str] = []
    for p in people:
        manager = engagement.member(p.reports_to) if p.reports_to else None
        if manager is not None:
            lines.append(t("ui.group.reports_to", name=p.name, manager=manager.name))
        warning = reporting_line_warning(engagement.form, people, p)
        if warning:
            lines.append("⚠ " + warning)
    if not lines:
        lines.append(t("ui.group.no_reporting_line"))
    if engagement.form is Form.PEERS:
        cases = [
            t("ui.group.case", number=s.number, name=who.name)
            for s in sessions
            if s.kind is SessionKind.PEER
            and s.case_bringer
            and (who := engagement.member(s.case_bringer)) is not None
        ]
        lines.append(t("ui.group.cases", cases="; ".join(cases) or t("ui.group.no_case")))
    return lines


class ParticipantsTable(DataTable[str | Text]):
    """The participants of the group, one a row: Enter edits the one under the cursor."""


def show_participants(
    table: DataTable[str | Text], engagement: Engagement, *, agreements: bool
) -> None:
    """The table's rows from the engagement (the cursor kept where it was); each
    one's agreement and charter only with `agreements` (the coach alone)."""
    row = table.cursor_row if table.row_count else 0
    table.clear()
    for p in engagement.participants:
        sponsor = p.sponsor or (engagement.sponsor if engagement.form is Form.TEAM else "")
        manager = engagement.member(p.reports_to) if p.reports_to else None
        table.add_row(
            Text(p.name),
            Text(manager.name if manager else sponsor or "—"),
            consent_words(p) if agreements else "·",
            (t("ui.group.charter_yes") if p.agreed_to(engagement.charter) else "—")
            if agreements
            else "·",
            key=p.id,
        )
    if table.row_count:
        table.move_cursor(row=min(row, table.row_count - 1))


class ParticipantScreen(ModalScreen[bool]):
    """One participant of a group, added or edited: name, function, their own N+1
    (a peer group's), e-mail, whom they report to inside the group, their consent,
    what may be reported about them, the charter, a withdrawal. ctrl+o (or Escape)
    saves through the core's rules and goes back; a refusal is said and the form
    stays. Dismisses with True when something was written."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "save", t("ui.key.save_back"), id="participant.save", priority=True),
        Binding("escape", "save", t("ui.key.save_back"), id="participant.back"),
        Binding("f3", "give_up", t("ui.group.give_up"), id="participant.give_up"),
    ]

    DEFAULT_CSS = """
    ParticipantScreen .covered { border: round $primary; }
    ParticipantScreen Horizontal { height: auto; }
    ParticipantScreen Label { width: 22; padding: 0 1 0 0; }
    ParticipantScreen Input { width: 1fr; }
    ParticipantScreen Select { width: 1fr; }
    ParticipantScreen .date { width: 14; }
    ParticipantScreen Tick.-textual-compact:focus { border: none; }
    ParticipantScreen #p-warning, ParticipantScreen #p-message { height: auto; }
    """

    def __init__(self, engagement_id: str, participant_id: str | None) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.participant_id = participant_id
        self.opened: tuple[object, ...] = ()
        """The form as it opened: Escape writes only when it changed."""
        self.charter_at_opening = False
        """Their agreement to the charter as the form opened: a consent taken back
        leaves it lapsed, not refused; only a tick changed here records or clears it."""

    @property
    def aoi(self) -> AoiApp:
        return cast("AoiApp", self.app)

    def engagement(self) -> Engagement:
        return self.aoi.unlocked.engagement(self.engagement_id).engagement()

    def compose(self) -> ComposeResult:
        e = self.engagement()
        p = e.member(self.participant_id) if self.participant_id else None
        others = [q for q in e.participants if q.id != self.participant_id]
        with Container(classes="covered"):
            with VerticalScroll(id="p-form"):
                title = t("ui.group.edit_title", name=p.name) if p else t("ui.group.add_title")
                yield Static(Text(title), classes="dialog-title", id="p-title")
                for field in ("name", "function", "sponsor", "email"):
                    with Horizontal():
                        yield Label(t(f"ui.group.field_{field}"))
                        yield KeptInput(
                            getattr(p, field) if p else "", id=f"p-{field}", compact=True
                        )
                with Horizontal():
                    yield Label(t("ui.group.field_reports_to"))
                    yield Select(
                        [(t("ui.group.nobody"), NOBODY)] + [(q.name, q.id) for q in others],
                        value=(p.reports_to or NOBODY) if p else NOBODY,
                        allow_blank=False,
                        id="p-reports_to",
                        compact=True,
                    )
                yield Static("", id="p-warning", classes="explain")
                with Horizontal():
                    consent = p.consent_date if p else None
                    yield Tick(
                        t("ui.group.consents"), consent is not None, id="p-consent", compact=True
                    )
                    yield KeptInput(
                        consent.isoformat() if consent else "",
                        placeholder=t("ui.date_format"),
                        id="p-consent-date",
                        classes="date",
                        compact=True,
                    )
                yield Static(t("ui.group.reported"), classes="section")
                for keyword, suffix in REPORTED:
                    yield Tick(
                        t(f"ui.group.flag_{keyword}"),
                        flag_of(p, keyword) if p else False,  # off until agreed
                        id=f"p-{suffix}",
                        compact=True,
                    )
                yield Tick(
                    t("ui.group.agrees_charter"),
                    bool(p and p.agreed_to(e.charter)),
                    id="p-charter",
                    compact=True,
                    disabled=e.charter is None,
                )
                with Horizontal():
                    withdrawn = p.withdrawn_on if p else None
                    yield Tick(
                        t("ui.group.withdraws"),
                        withdrawn is not None,
                        id="p-withdraw",
                        compact=True,
                        disabled=withdrawn is not None,  # a withdrawal is never undone
                    )
                    yield KeptInput(
                        withdrawn.isoformat() if withdrawn else "",
                        placeholder=t("ui.date_format"),
                        id="p-withdraw-date",
                        classes="date",
                        compact=True,
                        disabled=withdrawn is not None,
                    )
                yield Static("", id="p-message", classes="message")
            yield Static(t("ui.sponsor_safe.covered"), classes="cover")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # the N+1 back in the room (F2): a cover over each person's agreement; what
        # is typed meanwhile is kept, unseen
        show_the_room(self, self.aoi.room)
        self.watch(self.aoi, "room", lambda room: show_the_room(self, room), init=False)
        e = self.engagement()
        if e.form is Form.TEAM:  # a team's N+1 is the engagement's, for all
            sponsor = self.query_one("#p-sponsor", Input)
            sponsor.disabled = True
            sponsor.value = e.sponsor
        self.show_warning()
        self.opened = self.state()
        self.charter_at_opening = self.query_one("#p-charter", Tick).value
        self.query_one("#p-name", Input).focus()

    def state(self) -> tuple[object, ...]:
        """What the form holds: Escape writes only when it changed."""
        return (
            tuple((w.id, w.value) for w in self.query(Input).results() if w.id)
            + tuple((w.id, w.value) for w in self.query(Tick).results())
            + (self.query_one("#p-reports_to", Select).value,)
        )

    @on(Select.Changed, "#p-reports_to")
    @on(Input.Changed, "#p-name")
    def show_warning(self) -> None:
        """The core's warning, as soon as a reporting line joins two peers."""
        e = self.engagement()
        chosen = self.query_one("#p-reports_to", Select).value
        try:
            draft = Participant(
                name=self.query_one("#p-name", Input).value.strip() or "?",
                reports_to=None if chosen in (NOBODY, Select.NULL) else str(chosen),
            )
        except (ValidationError, ValueError):
            return
        others = [q for q in e.participants if q.id != self.participant_id]
        warning = reporting_line_warning(e.form, [*others, draft], draft)
        self.query_one("#p-warning", Static).update(Text(warning or ""))

    def say(self, message: str) -> None:
        # on the form's own line, not as a toast: a toast stays over the screen after
        # the form closes, names and all, when the N+1 comes back in
        self.query_one("#p-message", Static).update(Text(message))
        self.app.bell()

    def _day(self, selector: str) -> date | None:
        raw = self.query_one(selector, Input).value.strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise AgreementRefused(t("ui.debrief.bad_date", value=raw[:40])) from None

    def _value(self, name: str) -> str:
        return clean(self.query_one(f"#p-{name}", Input).value).strip()

    def changed_person(self, e: Engagement) -> Participant:
        """The participant as the form says, checked by the models and the core's
        rules (AgreementRefused, ValidationError, ValueError: said)."""
        before = e.member(self.participant_id) if self.participant_id else None
        if self.participant_id and before is None:
            raise AgreementRefused(t("ui.group.gone"))  # erased meanwhile
        chosen = self.query_one("#p-reports_to", Select).value
        fields = {
            "name": self._value("name"),
            "function": self._value("function"),
            "sponsor": self._value("sponsor") if e.form is Form.PEERS else "",
            "email": self._value("email"),
            "reports_to": None if chosen in (NOBODY, Select.NULL) else str(chosen),
        }
        data = before.model_dump() if before else {}
        p = Participant.model_validate({**data, **fields})
        ticked = self.query_one("#p-consent", Tick).value
        day = self._day("#p-consent-date")
        if ticked or day is not None:  # a date typed is consent given that day
            day = day or p.consent_date or clock.today()
            if day != p.consent_date:
                give_consent(p, day)
        elif p.consent_date is not None:  # consent taken back (a slip, or a change of mind)
            p.agreement = p.agreement.model_copy(update={"consent_date": None})
        set_reporting(
            p, **{k: self.query_one(f"#p-{suffix}", Tick).value for k, suffix in REPORTED}
        )
        charter = self.query_one("#p-charter", Tick).value
        if charter != self.charter_at_opening:  # ticked or unticked here: else as it was
            if charter:
                agree_to_charter(p, e.charter)
            else:
                p.charter_agreement = None
        if p.withdrawn_on is None and (
            self.query_one("#p-withdraw", Tick).value or self._day("#p-withdraw-date")
        ):
            withdraw(p, self._day("#p-withdraw-date"))
        return p

    @saves
    def write(self) -> bool:
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        try:
            with ef.batch():
                e = ef.engagement()
                p = self.changed_person(e)
                people = [p if q.id == p.id else q for q in e.participants]
                if self.participant_id is None:
                    people.append(p)
                # the whole engagement checked by its model: an N+1 named as a participant,
                # an N+1 of their own in a team, a reporting line to no one
                checked = Engagement.model_validate({**e.model_dump(), "participants": people})
                if checked.status is Status.FRAMING and any(q.consent_date for q in people):
                    checked.status = Status.ACTIVE
                if self.participant_id is None:
                    ef.add_participant(p)  # refuses a name already there
                    self.participant_id = p.id
                elif name_taken(e.participants, p.name, but=p.id):
                    raise ValueError(t("participant.already_there", name=p.name))
                else:
                    ef.update(checked)
        except (AgreementRefused, ValidationError, ValueError) as exc:
            reason = first_problem(exc).reason if isinstance(exc, ValidationError) else str(exc)
            self.say(reason.removeprefix("Value error, "))
            return False
        ef.store.refresh_summary(self.engagement_id)
        return True

    def action_save(self) -> None:
        if self.state() == self.opened:
            self.dismiss(False)
            return
        if self.participant_id is None and not self._value("name"):
            self.dismiss(False)  # nothing named: nothing to add
            return
        if self.write():
            self.dismiss(True)

    def action_give_up(self) -> None:
        """Leave without writing what was typed here."""
        self.dismiss(False)
