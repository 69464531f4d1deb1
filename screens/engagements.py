"""The first screen: every engagement, its progress and its cadence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.widgets import Footer, Header, Static

from aoi_tui.config.i18n import t
from aoi_tui.domain import clock
from aoi_tui.domain.access_requests import due_soon
from aoi_tui.domain.vocabulary import Room
from aoi_tui.live.live_session import live_engagements, other_holder
from aoi_tui.screens.base import AoiScreen, can_open
from aoi_tui.screens.engagement_list import PADDING, SCROLLBAR, Cell, EngagementList, Row
from aoi_tui.secure.storage import StoreFileError

if TYPE_CHECKING:
    from aoi_tui.screens.app import AoiApp
    from aoi_tui.store.store import EngagementSummary


def start_or_resume(app: AoiApp, engagement_id: str, new: bool) -> None:
    # The session screens (and the models) load when first needed, after the first paint.
    from aoi_tui.screens.engagement import start_or_resume as start

    start(app, engagement_id, new)


ALERT = "bold reverse"
"""An alert stands out without colour (and says so in words)."""


def format_words(fmt: str, form: str, participants: int) -> str:
    """The format column: a group's form and size instead ("Team 5"), an
    individual engagement's format as before."""
    if form in ("team", "peers"):
        return t(f"ui.format.{form}_size", size=participants)
    return t(f"ui.format.{fmt}")


def cadence_cell(
    overdue: int, status: str, retention_due: bool = False, access_due: bool = False
) -> Cell:
    if access_due:  # a person waits for their data: a legal deadline comes first
        return Cell(t("access.due"), ALERT)
    if retention_due:
        return Cell(t("ui.retention.due"), ALERT)
    if status not in ("active", "framing"):
        return Cell(t(f"status.{status}"))
    if overdue:
        return Cell(t("ui.cadence.overdue", days=overdue), ALERT)
    return Cell(t("ui.cadence.ok"))


def agenda_text(summaries: Sequence[EngagementSummary], today: date) -> Text:
    """What is planned this week and what is overdue (planned for a day gone by,
    and no session since), in a line or two under the list."""
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    week: list[tuple[str, str]] = []
    late: list[tuple[str, str]] = []
    for s in summaries:
        for when in s.planned:
            day = date.fromisoformat(when[:10])
            if monday <= day <= sunday and day >= today:
                week.append((when, s.coachee))
            elif day < today and (s.last_session is None or s.last_session < day):
                late.append((when, s.coachee))
    text = Text()
    if late:
        text.append(t("ui.agenda.overdue"), ALERT)
        text.append("  " + "  ·  ".join(f"{w[5:]} {name}" for w, name in sorted(late)) + "\n")
    text.append(t("ui.agenda.week"), "bold")
    text.append(
        "  ·  ".join(
            f"{_weekday(w)} {w[11:]} {name}".replace("  ", " ") for w, name in sorted(week)
        )
        or t("ui.agenda.nothing_this_week")
    )
    return text


def _weekday(when: str) -> str:
    """ "2026-12-03 14:00" -> "Thu 03" (the day's abbreviation in the catalog's language)."""
    day = date.fromisoformat(when[:10])
    return f"{t('ui.agenda.days').split()[day.weekday()]} {day.day:02d}"


class EngagementsScreen(AoiScreen[None]):
    BINDINGS = [
        # Enter opens, as in any list; the footer keeps its room for the other keys
        Binding("enter", "open", t("ui.key.open"), id="engagements.open", show=False),
        Binding("n", "new_session", t("ui.key.new_session"), id="engagements.new_session"),
        Binding("r", "resume", t("ui.key.resume"), id="engagements.resume"),
        Binding("slash", "search", t("ui.key.search"), id="engagements.search"),
        Binding("ctrl+n", "new_engagement", t("ui.key.new_engagement"), id="engagements.new"),
        Binding(
            "s",
            "supervision",
            t("ui.key.supervision"),
            id="engagements.supervision",
            tooltip=t("ui.palette.supervision"),
            show=False,  # the footer is full at 80 columns: the key and the palette
        ),
        Binding(
            "h",
            "hours",
            t("ui.agenda.key_hours"),
            id="engagements.hours",
            tooltip=t("ui.agenda.palette_hours"),
            show=False,
        ),
        Binding(
            "c",
            "calendar",
            t("ui.agenda.key_calendar"),
            id="engagements.calendar",
            tooltip=t("ui.agenda.palette_calendar"),
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.widths: list[tuple[str, int]] = []
        """The columns' widths for the terminal's width (`column_widths`), set at mount."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("ui.engagements.title"), classes="screen-title")
        # every client of the coach: not for the N+1 or a group in the room
        with Container(classes="covered", id="engagements-body"):
            yield EngagementList(id="engagements")
            yield Static(t("ui.engagements.covered"), classes="cover")
        yield Static("", id="empty", classes="explain")
        yield Static("", id="agenda")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.room_changed(self.aoi.room)
        self.add_columns()
        # the rows come with on_screen_resume, which Textual also sends on first show
        if not self.aoi.resume_offered:
            self.aoi.resume_offered = True
            self.call_after_refresh(self.offer_resume)  # the list first, then the question

    def room_changed(self, room: Room) -> None:
        # the sponsor-safe class covers it for the N+1 (`show_the_room`); a group too
        self.set_class(room is Room.GROUP, "-group-in-room")

    def column_widths(self) -> list[tuple[str, int]]:
        """The names take the room the other columns leave: the cadence column, which
        carries the alerts (OVERDUE, KEPT TOO LONG), stays whole at 80 columns."""
        fixed = [("format", 8), ("sessions", 8), ("last", 10), ("cadence", 14)]
        padding = 2 * PADDING * (len(fixed) + 2)
        room = self.app.size.width - SCROLLBAR  # the scrollbar's gutter is kept (app.tcss)
        names = max(20, room - padding - sum(w for _, w in fixed))
        coachee = names * 3 // 5
        return [("coachee", coachee), ("sponsor", names - coachee), *fixed]

    def add_columns(self) -> None:
        self.widths = self.column_widths()
        self.query_one(EngagementList).set_columns(
            [(t(f"ui.col.{key}"), width) for key, width in self.widths]
        )

    def on_resize(self) -> None:
        if self.column_widths() != self.widths:
            self.add_columns()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        listed = self.query_one(EngagementList)
        try:
            summaries = self.aoi.unlocked.list_engagements()
        except StoreFileError as exc:  # a damaged index: said, never an empty store
            summaries, unreadable = [], t("ui.engagements.unreadable", reason=exc.said)
        else:
            unreadable = ""
        today = clock.today()
        retention_days = self.aoi.settings.retention_days
        listed.set_rows(
            [
                Row(
                    s.id,
                    (
                        Cell(s.coachee),
                        Cell(s.sponsor),
                        Cell(format_words(s.format, s.form, s.participants)),
                        Cell(f"{s.sessions_held}/{s.planned_sessions}"),
                        Cell(s.last_session.isoformat() if s.last_session else "—"),
                        cadence_cell(
                            s.cadence_overdue(today),
                            s.status,
                            s.retention_due(today, retention_days),
                            due_soon(s.access_due, today),
                        ),
                    ),
                )
                for s in summaries
            ]
        )
        self.query_one("#empty", Static).update(
            unreadable or ("" if summaries else t("ui.engagements.empty"))
        )
        self.query_one("#agenda", Static).update(agenda_text(summaries, today))
        listed.focus()

    def selected(self) -> str | None:
        return self.query_one(EngagementList).selected_key

    def action_open(self) -> None:
        from aoi_tui.screens.engagement import EngagementScreen

        eid = self.selected()
        if eid and can_open(self, self.aoi.unlocked, eid):
            self.app.push_screen(EngagementScreen(eid))

    def on_engagement_list_selected(self, event: EngagementList.Selected) -> None:
        from aoi_tui.screens.engagement import EngagementScreen

        if can_open(self, self.aoi.unlocked, event.key):
            self.app.push_screen(EngagementScreen(event.key))

    def action_new_session(self) -> None:
        eid = self.selected()
        if eid:
            start_or_resume(self.aoi, eid, new=True)

    def action_resume(self) -> None:
        eid = self.selected()
        if eid:
            start_or_resume(self.aoi, eid, new=False)

    def offer_resume(self) -> None:
        store = self.aoi.unlocked
        for eid in live_engagements(store.root):
            try:
                summary = store.summary(eid)
            except Exception:
                continue
            from aoi_tui.screens.resume import ResumeScreen

            if other_holder(store.root, eid) is not None:
                # not stopped: another aoi runs it; resuming asks to take it over
                start_or_resume(self.aoi, eid, new=False)
                return

            self.app.push_screen(
                ResumeScreen(summary.coachee),
                lambda yes, eid=eid: start_or_resume(self.aoi, eid, new=False) if yes else None,
            )
            return

    def action_new_engagement(self) -> None:
        from aoi_tui.screens.framing import FramingScreen

        def framed(engagement_id: str | None) -> None:
            from aoi_tui.screens.engagement import EngagementScreen

            self.reload()
            if engagement_id:
                self.app.push_screen(EngagementScreen(engagement_id))

        self.app.push_screen(FramingScreen(None), framed)

    def action_search(self) -> None:
        from aoi_tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(None))

    def action_hours(self) -> None:
        from aoi_tui.screens.hours import HoursScreen

        self.app.push_screen(HoursScreen())

    def action_calendar(self) -> None:
        from aoi_tui.screens.calendar import CalendarScreen

        self.app.push_screen(CalendarScreen())

    def action_supervision(self) -> None:
        from aoi_tui.screens.supervision import SupervisionScreen

        self.app.push_screen(SupervisionScreen())
