"""An engagement's planned sessions (issue 15 §1): the list (held, cancelled by
whom, a no-show, overdue), and a form to plan one more, proposed at the agreed
cadence after the last session, in the coach's time zone. One key from the
engagement screen (a), and offered when a session ends."""

from __future__ import annotations

from datetime import date, time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.widgets import Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from aoi_tui.config.i18n import t
from aoi_tui.domain import clock
from aoi_tui.domain.planning import (
    DEFAULT_MINUTES,
    CancelledBy,
    PlannedSession,
    PlanningError,
    PlanStatus,
    coach_zone,
    overdue,
    plan,
    proposed_day,
)
from aoi_tui.domain.vocabulary import Room, SessionKind, counts_as_held, session_kinds_for
from aoi_tui.screens.base import STORE_FAILURES, AoiScreen, group_safe_binding

NO_KIND = "-"


def planned_line(p: PlannedSession, held: list[date], today: date) -> str:
    hour = p.at.isoformat(timespec="minutes") if p.at else t("plan.all_day")
    parts = [f"{p.on.isoformat()} {hour}", f"{p.minutes} min" if p.minutes else "—"]
    parts.append(t(f"session.kind.{p.kind.value}") if p.kind else "—")
    if p.place:
        parts.append(p.place)
    if p.status is PlanStatus.CANCELLED and p.cancelled_by is not None:
        day = p.cancelled_on.isoformat() if p.cancelled_on else "?"
        parts.append(t("plan.cancelled_by", who=t(f"plan.by.{p.cancelled_by.value}"), date=day))
    elif p.status is PlanStatus.NO_SHOW:
        parts.append(t("plan.no_show"))
    elif overdue(p, held, today):
        parts.append(t("plan.overdue"))
    return "  ·  ".join(parts)


class PlanningScreen(AoiScreen[None]):
    BINDINGS = [
        Binding("ctrl+o", "plan", t("ui.agenda.save"), id="planning.plan", priority=True),
        Binding("f5", "cancel('coachee')", t("ui.agenda.cancel_coachee"), id="planning.coachee"),
        Binding("f6", "cancel('sponsor')", t("ui.agenda.cancel_sponsor"), id="planning.sponsor"),
        Binding("f7", "cancel('coach')", t("ui.agenda.cancel_coach"), id="planning.coach"),
        Binding("f8", "no_show", t("ui.agenda.no_show"), id="planning.no_show"),
        Binding("escape", "app.pop_screen", t("ui.key.back"), id="planning.back"),
        # a group's: the group may be in the room (ctrl+b, it leaves)
        group_safe_binding("planning"),
    ]

    def __init__(self, engagement_id: str) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.zone = "UTC"
        """The zone sessions are planned in (the setting, else the machine's), at mount."""
        self.group = False
        """A team or a peer group (ctrl+b brings the group in, or out)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="planning-title", classes="screen-title")
        # the days, who cancelled, a no-show: not for the N+1 nor the group to read
        # (the engagement screen shows them only where the agreement reports attendance)
        with Container(classes="covered"):
            with Vertical(id="planning-body"):
                yield OptionList(id="planning-list")
                yield Static("", id="planning-proposed", classes="message")
                with Horizontal(classes="planning-row"):
                    yield Input(placeholder=t("ui.agenda.when"), id="planning-when", compact=True)
                    yield Input(
                        str(DEFAULT_MINUTES),
                        placeholder=t("ui.agenda.minutes"),
                        id="planning-minutes",
                        type="integer",
                        compact=True,
                    )
                    yield Select(
                        [], prompt=t("ui.agenda.no_kind"), id="planning-kind", compact=True
                    )
                yield Input(placeholder=t("ui.agenda.place"), id="planning-place", compact=True)
                yield Static("", id="planning-state", classes="message")
            yield Static(t("ui.agenda.covered"), classes="cover")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        store = self.aoi.unlocked
        ef = store.engagement(self.engagement_id)
        engagement = ef.engagement()
        self.group = not engagement.individual
        self.room_changed(self.aoi.room)
        self.zone = coach_zone(self.aoi.settings.time_zone)
        self.query_one("#planning-title", Static).update(
            t("ui.agenda.title", name=engagement.coachee)
        )
        kinds = session_kinds_for(engagement.form)
        select = self.query_one("#planning-kind", Select)
        select.set_options([(t(f"session.kind.{k.value}"), k.value) for k in kinds])
        # proposed at the agreed cadence, after the last session held, at the hour
        # of the last session planned (else 09:00)
        sessions = ef.sessions()
        held = [s.held_on for s in sessions if counts_as_held(s.kind)]
        last = max(held, default=None)
        day = proposed_day(last, engagement.cadence_days, clock.today())
        hours = [p.at for p in ef.all(PlannedSession) if p.at is not None]
        hour = hours[-1] if hours else time(9, 0)
        self.query_one("#planning-when", Input).value = f"{day.isoformat()} {hour:%H:%M}"
        if sessions:
            select.value = sessions[-1].kind.value if sessions[-1].kind in kinds else Select.NULL
        self.query_one("#planning-proposed", Static).update(
            t("ui.agenda.proposed", days=engagement.cadence_days, date=day.isoformat())
        )
        self.reload()
        self.query_one("#planning-when", Input).focus()

    def in_a_group(self) -> bool:
        return self.group

    def room_changed(self, room: Room) -> None:
        # the sponsor-safe class covers it for the N+1 (`show_the_room`); a group too
        self.set_class(room is Room.GROUP, "-group-in-room")

    def reload(self) -> None:
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        held = [s.held_on for s in ef.sessions()]
        today = clock.today()
        planned = sorted(ef.all(PlannedSession), key=lambda p: (p.on, p.at or time(0)))
        listed = self.query_one("#planning-list", OptionList)
        highlighted = listed.highlighted
        listed.clear_options()
        listed.add_options(
            [Option(Text(planned_line(p, held, today)), id=p.id) for p in planned]
            or [Option(t("plan.none"), id=NO_KIND, disabled=True)]
        )
        if highlighted is not None and highlighted < len(planned):
            listed.highlighted = highlighted

    def said(self, text: str, bold: bool = False) -> None:
        self.query_one("#planning-state", Static).update(Text(text, style="bold" if bold else ""))

    def action_plan(self) -> None:
        from aoi_tui.store.agenda import add_planned

        minutes_text = self.query_one("#planning-minutes", Input).value.strip()
        kind_value = self.query_one("#planning-kind", Select).value
        try:
            minutes = int(minutes_text) if minutes_text else None
            planned = plan(
                self.query_one("#planning-when", Input).value,
                self.zone,
                minutes=minutes,
                kind=None if kind_value in (Select.NULL, NO_KIND) else SessionKind(str(kind_value)),
                place=self.query_one("#planning-place", Input).value,
            )
        except (PlanningError, ValueError) as exc:
            self.said(str(exc), bold=True)
            return
        try:
            add_planned(self.aoi.unlocked, self.engagement_id, planned)
        except (PlanningError, *STORE_FAILURES) as exc:
            self.said(str(exc), bold=True)  # not planned: what was typed stays
            return
        assert planned.at is not None
        self.said(
            t(
                "ui.agenda.planned",
                date=planned.on.isoformat(),
                hour=planned.at.isoformat(timespec="minutes"),
                zone=self.zone,
            )
        )
        self.query_one("#planning-place", Input).value = ""
        self.reload()

    def _chosen(self) -> str | None:
        listed = self.query_one("#planning-list", OptionList)
        if listed.highlighted is None:
            return None
        option = listed.get_option_at_index(listed.highlighted)
        return None if option.id in (None, NO_KIND) else str(option.id)

    def _mark(self, by: CancelledBy | None, what: str) -> None:
        from aoi_tui.store.agenda import mark_planned

        pid = self._chosen()
        if pid is None:
            self.said(t("ui.agenda.none_selected"), bold=True)
            return
        try:
            mark_planned(self.aoi.unlocked, self.engagement_id, pid, by=by)
        except PlanningError as exc:
            self.said(str(exc), bold=True)
            return
        except STORE_FAILURES as exc:
            self.said(str(exc), bold=True)
            return
        self.said(t("ui.agenda.marked", what=what))
        self.reload()

    def action_cancel(self, by: str) -> None:
        self._mark(CancelledBy(by), t(f"ui.agenda.cancel_{by}"))

    def action_no_show(self) -> None:
        self._mark(None, t("ui.agenda.no_show"))
