"""Following the engagement: progress (sessions, cadence, objectives, the
coachee's feeling), the FSAC sheet drawn in the terminal, and the tools and
practices with their maturity over time.

A group's: the group's objectives and competencies and each participant's,
each saying whose; with the N+1 in the room only the group's that reach every
N+1, with the group only the group's (`group_room.in_progress_view`)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from aoi_tui.config.i18n import t
from aoi_tui.domain import clock
from aoi_tui.domain.fsac import bar, fsac_rows, sparkline
from aoi_tui.domain.models import (
    Assessment,
    Assessor,
    Competency,
    Level,
    MaturityMark,
    Timing,
    Tool,
)
from aoi_tui.domain.progress import progress
from aoi_tui.domain.text import clean
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.base import STORE_FAILURES, AoiScreen, failures_said, saves
from aoi_tui.screens.group_room import in_progress_view, objective_progress_shown, whose

if TYPE_CHECKING:
    pass


NAME_WIDTH = 21
"""The competency's name in the FSAC table, cut to this many characters..."""
HISTORY_WIDTH = 8
"""... and each history to its latest marks: the table stays within 80 columns."""
WHOSE = "whose:"
"""A group's FSAC table: the key of a line that says whose the rows below are."""


def recent(levels: tuple[Level, ...]) -> str:
    """The sparkline of the latest marks, '…' first when older ones are left out."""
    if len(levels) <= HISTORY_WIDTH:
        return sparkline(levels)
    return "…" + sparkline(levels[-(HISTORY_WIDTH - 1) :])


def level_short(level: Level | None) -> str:
    return "—" if level is None else f"{level.value} {t(f'level.{level.value}')}"


class LevelPicker(ModalScreen[Level | None]):
    BINDINGS = [Binding("escape", "cancel", t("ui.key.cancel"), id="level.cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield OptionList(*[Option(level_short(lvl), id=str(lvl.value)) for lvl in Level])
        yield Footer(compact=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Level(int(str(event.option.id))))

    def action_cancel(self) -> None:
        self.dismiss(None)


class FollowUpScreen(AoiScreen[None]):
    TAB_KEYS = {"assess": ("tab-fsac",), "maturity": ("tab-tools",)}

    BINDINGS = [
        Binding("escape", "app.pop_screen", t("ui.key.back"), id="follow.back"),
        Binding(
            "f3",
            "assess('coach')",
            t("ui.key.assess_coach"),
            id="follow.assess_coach",
            tooltip=t("ui.palette.assess_coach"),
        ),
        Binding(
            "f4",
            "assess('self')",
            t("ui.key.assess_self"),
            id="follow.assess_self",
            tooltip=t("ui.palette.assess_self"),
        ),
        Binding(
            "f7",
            "maturity",
            t("ui.key.maturity"),
            id="follow.maturity",
            tooltip=t("ui.palette.maturity"),
        ),
    ]

    def __init__(self, engagement_id: str, tab: str = "tab-progress") -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.tab = tab
        self.ef = self.aoi.unlocked.engagement(engagement_id)

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="follow-tabs", initial=self.tab):
            with TabPane(t("ui.follow.tab_progress"), id="tab-progress"), VerticalScroll():
                yield Static(id="progress")
            with TabPane(t("ui.follow.tab_fsac"), id="tab-fsac"):
                yield DataTable(id="fsac", cursor_type="row")
                yield Static(t("ui.follow.fsac_legend"), classes="explain")
            with TabPane(t("ui.follow.tab_tools"), id="tab-tools"):
                yield DataTable(id="tools", cursor_type="row")
                yield Input(placeholder=t("ui.follow.new_tool"), id="new-tool")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = self.ef.engagement().coachee
        fsac = self.query_one("#fsac", DataTable)
        for key in ("competency", "start", "coach_now", "self_now", "target", "history"):
            fsac.add_column(t(f"ui.col.{key}"), key=key)
        tools = self.query_one("#tools", DataTable)
        for key in ("tool", "maturity", "history"):
            tools.add_column(t(f"ui.col.{key}"), key=key)
        self.reload()

    def room_changed(self, room: Room) -> None:
        self.reload()

    def reload(self) -> None:
        e = self.ef.engagement()
        p = progress(e, self.ef.sessions(), self.ef.objectives(), clock.today())
        text = Text()
        text.append(t("ui.follow.sessions", held=p.held, planned=p.planned) + "\n", style="bold")
        text.append("█" * p.held + "░" * max(0, p.planned - p.held) + "\n\n")
        if p.days_since_last is None:
            text.append(t("ui.follow.no_session") + "\n")
        else:
            text.append(t("ui.follow.since_last", days=p.days_since_last, cadence=p.cadence_days))
            if p.overdue_days:
                text.append(
                    "  " + t("ui.cadence.overdue", days=p.overdue_days), style="bold reverse"
                )
            text.append("\n")
        if e.next_session:
            text.append(t("ui.follow.next", date=e.next_session.isoformat()) + "\n")
        text.append("\n" + t("ui.engagement.objectives") + "\n", style="bold")
        room, group = self.aoi.room, not e.individual
        # with the N+1 in the room, an objective's status only if the agreement says so
        status_shown = not self.aoi.sponsor_safe or e.agreement.report_objective_status
        for o in self.ef.objectives():
            if group:
                if not in_progress_view(o, e, room):
                    continue
                status_shown = objective_progress_shown(o, e, room)
            status = f" — {t(f'objective.{o.status.value}')}" if status_shown else ""
            who = f" ({whose(o, e)})" if group else ""
            text.append(f"• {clean(o.statement)}{status}{who}\n")
        if room is Room.COACH or (e.individual and not self.aoi.sponsor_safe):
            text.append("\n" + t("ui.follow.feeling") + " ", style="bold")
            if p.feelings:
                trend = {
                    1: t("ui.follow.rising"),
                    -1: t("ui.follow.falling"),
                    0: t("ui.follow.steady"),
                }
                text.append(
                    f"{sparkline([Level(min(4, max(1, round(f * 4 / 5)))) for f in p.feelings])}  "
                    f"{' → '.join(str(f) for f in p.feelings)} /5  ({trend[p.feeling_trend]})"
                )
            else:
                text.append("—")
        self.query_one("#progress", Static).update(text)

        table = self.query_one("#fsac", DataTable)
        row = table.cursor_row
        table.clear()
        # a group's rows are those the room may read, levels included (`reaches`)
        safe = not group and self.aoi.sponsor_safe and not e.agreement.report_competencies
        rows = fsac_rows(self.ef.competencies(), self.ef.all_assessments())
        if group:  # whose each is, a line above theirs (no column left at 80 columns)
            rows = [r for r in rows if in_progress_view(r.competency, e, room)]
            rows.sort(key=lambda r: (r.competency.about != ["group"], whose(r.competency, e)))
        said = None
        for r in rows:
            if group and (who := whose(r.competency, e)) != said:
                said = who
                table.add_row(Text(who, style="bold"), "", "", "", "", "", key=f"{WHOSE}{who}")
            # short enough for the history column to stay on an 80-column screen
            name = Text(r.competency.name[:NAME_WIDTH])
            if len(r.competency.name) > NAME_WIDTH:
                name = Text(r.competency.name[: NAME_WIDTH - 1] + "…")
            if safe:
                table.add_row(name, "·", "·", "·", "·", "", key=r.competency.id)
                continue
            table.add_row(
                name,
                bar(r.start, r.target),
                f"{bar(r.coach_now, r.target)} {r.coach_now.value if r.coach_now else '—'}",
                f"{bar(r.self_now, r.target)} {r.self_now.value if r.self_now else '—'}",
                str(r.target.value) if r.target else "—",
                f"{recent(r.coach_history)} / {recent(r.self_history)}",
                key=r.competency.id,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

        tools = self.query_one("#tools", DataTable)
        row = tools.cursor_row
        tools.clear()
        for tool in self.ef.tools():
            latest = tool.maturity[-1].level if tool.maturity else None
            tools.add_row(
                Text(tool.name),
                level_short(latest),
                sparkline([m.level for m in tool.maturity]),
                key=tool.id,
            )
        if tools.row_count:
            tools.move_cursor(row=min(row, tools.row_count - 1))

    def _selected(self, table_id: str) -> str | None:
        table = self.query_one(f"#{table_id}", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_assess(self, by: str) -> None:
        """A cold assessment, weeks after a session (hot ones are made in the debrief)."""
        competency_id = self._selected("fsac")
        if (
            competency_id is None
            or competency_id.startswith(WHOSE)
            or self.query_one("#follow-tabs", TabbedContent).active != "tab-fsac"
        ):
            return
        # a group's mark concerns whom its competency concerns (else no one's)
        about = list(self.ef.get(Competency, competency_id).about)

        def chosen(level: Level | None) -> None:
            if level is None:
                return
            with failures_said(self):
                self.ef.insert(
                    Assessment(
                        competency_id=competency_id,
                        level=level,
                        by=Assessor(by),
                        timing=Timing.COLD,
                        about=about,
                    )
                )
                self.reload()

        self.app.push_screen(LevelPicker(t(f"ui.follow.assess_{by}")), chosen)

    @on(Input.Submitted, "#new-tool")
    @saves
    def add_tool(self, event: Input.Submitted) -> None:
        name = clean(event.value).strip()
        if not name:
            return
        sessions = self.ef.sessions()
        self.ef.insert(
            Tool(name=name, introduced_session=sessions[-1].number if sessions else None)
        )
        event.input.value = ""
        self.reload()

    def action_maturity(self) -> None:
        tool_id = self._selected("tools")
        if tool_id is None or self.query_one("#follow-tabs", TabbedContent).active != "tab-tools":
            return

        def chosen(level: Level | None) -> None:
            if level is None:
                return
            with failures_said(self), self.ef.batch():
                tool = self.ef.get(Tool, tool_id)
                sessions = self.ef.sessions()
                tool.maturity = [
                    *tool.maturity,
                    MaturityMark(
                        on=clock.today(),
                        level=level,
                        session=sessions[-1].number if sessions else None,
                    ),
                ]
                self.ef.update(tool)
            with contextlib.suppress(*STORE_FAILURES):  # said above; shown as it can be
                self.reload()

        self.app.push_screen(LevelPicker(t("ui.follow.maturity")), chosen)
