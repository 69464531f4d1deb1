"""One engagement at a glance: its sessions, open actions and objectives."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from aoi_tui.config.i18n import plural, t
from aoi_tui.domain import clock
from aoi_tui.domain.allow_list import attendance_reported
from aoi_tui.domain.models import (
    ActionStatus,
    Audience,
    Engagement,
    ExportRecord,
    Form,
    Format,
    Participant,
    Session,
    SessionKind,
    Status,
)
from aoi_tui.domain.participants import case_bringer_refused
from aoi_tui.domain.vocabulary import INDIVIDUAL_KINDS, Room, collective, session_kinds_for
from aoi_tui.live.live_session import open_session
from aoi_tui.screens.attendance import participant_label
from aoi_tui.screens.base import (
    STORE_FAILURES,
    AoiScreen,
    can_open,
    failures_said,
    group_safe_binding,
)
from aoi_tui.screens.group_room import (
    in_progress_view,
    named_in_the_room,
    owner_words,
    shown,
    whose,
)
from aoi_tui.store.store import IndexNotUpdated

if TYPE_CHECKING:
    from aoi_tui.screens.app import AoiApp


def default_kind(fmt: Format, sessions: int, form: Form = Form.INDIVIDUAL) -> SessionKind:
    if form is Form.TEAM:
        return SessionKind.GROUP_KICKOFF if sessions == 0 else SessionKind.TEAM_AOI
    if form is Form.PEERS:
        return SessionKind.GROUP_KICKOFF if sessions == 0 else SessionKind.PEER
    if sessions == 0:
        return SessionKind.KICKOFF
    return SessionKind.AOI if fmt is Format.AOI else SessionKind.COACHING


def start_or_resume(app: AoiApp, engagement_id: str, new: bool) -> None:
    """Resume the open session; or, with `new`, ask for a kind and start one."""
    from aoi_tui.screens.session import SessionScreen

    if not can_open(app, app.unlocked, engagement_id):
        return
    ef = app.unlocked.engagement(engagement_id)
    running = open_session(ef)
    if running is not None:
        from aoi_tui.screens.resume import resume_or_take_over

        def resume() -> None:
            app.push_screen(SessionScreen(engagement_id, running.number, resume=True))

        # another aoi may still run it: asked before taking it over
        resume_or_take_over(app, engagement_id, ef.engagement().coachee, resume)
        return
    if not new:
        app.notify(t("ui.session.none_open"))
        return
    engagement = ef.engagement()
    if engagement.status is Status.WITHDRAWN:
        app.notify(t("ui.session.withdrawn"), severity="warning")
        return
    default = default_kind(engagement.format, len(ef.sessions()), engagement.form)

    def start(kind: SessionKind, who: dict[str, Any]) -> None:
        session = None
        with failures_said(app):
            try:
                session = ef.new_session(kind, app.settings.phase_minutes, **who)
            except IndexNotUpdated:
                session = ef.sessions()[-1]  # created: only its line in the list is behind
                raise
            except ValueError as exc:  # changed meanwhile in another aoi (a withdrawal)
                app.notify(str(exc), severity="warning", timeout=10)
        if session is not None:
            app.push_screen(SessionScreen(engagement_id, session.number, resume=False))

    def chosen(kind: SessionKind | None) -> None:
        if kind is None:
            return
        if engagement.individual:
            start(kind, {})
        else:
            with_the_group(app, engagement, kind, start)

    app.push_screen(NewSessionScreen(default, session_kinds_for(engagement.form)), chosen)


def with_the_group(
    app: AoiApp,
    engagement: Engagement,
    kind: SessionKind,
    start: Callable[[SessionKind, dict[str, Any]], None],
) -> None:
    """A group's session: who came (a collective one), whose case it is (a peer
    session), or with whom (a one-to-one); then `start`."""
    from aoi_tui.screens.attendance import AttendanceScreen, PersonScreen

    members = [p for p in engagement.participants if p.withdrawn_on is None]
    if not collective(kind):

        def one(pid: str | None) -> None:
            if pid is not None:
                start(kind, {"participant": pid})

        app.push_screen(PersonScreen(t("ui.attendance.with_whom"), members), one)
        return

    def present(ids: list[str] | None) -> None:
        if ids is None:
            return
        if kind is not SessionKind.PEER:
            start(kind, {"attendance": ids})
            return

        def bringer(pid: str | None) -> None:
            if pid is not None:
                start(kind, {"attendance": ids, "case_bringer": pid})

        there = [p for p in members if p.id in ids]
        # present, but their case is not taken unless they agreed to take part
        held_on = clock.today()
        app.push_screen(
            PersonScreen(
                t("ui.attendance.case_bringer"),
                there,
                lambda p: case_bringer_refused(p, held_on),
            ),
            bringer,
        )

    app.push_screen(AttendanceScreen(members), present)


def session_words(s: Session, e: Engagement, room: Room) -> str:
    """A session's kind, and in a group, with whom a one-to-one was held (the coach
    alone: who had one is no one else's business)."""
    kind = t(f"session.kind.{s.kind.value}")
    who = e.member(s.participant) if s.participant and room is Room.COACH else None
    return f"{kind} · {who.name}" if who is not None else kind


def agreement_words(p: Participant) -> str:
    """A participant's agreement in words: consent (or none yet), what may be
    reported about them, and a withdrawal."""
    if p.withdrawn_on is not None:
        return t("ui.participant.withdrawn", date=p.withdrawn_on.isoformat())
    if p.consent_date is None:
        return t("ui.participant.no_consent")
    reported = [
        word
        for on, word in (
            (p.report_own_items, t("ui.participant.own_items")),
            (p.agreement.report_attendance, t("ui.participant.attendance")),
        )
        if on
    ]
    return t(
        "ui.participant.consent",
        date=p.consent_date.isoformat(),
        reported=", ".join(reported) if reported else t("ui.participant.nothing"),
    )


class NewSessionScreen(ModalScreen[SessionKind | None]):
    BINDINGS = [Binding("escape", "cancel", t("ui.key.cancel"), id="new_session.cancel")]

    def __init__(
        self, default: SessionKind, kinds: Sequence[SessionKind] = INDIVIDUAL_KINDS
    ) -> None:
        super().__init__()
        self.default = default
        self.kinds = list(kinds)
        """The kinds this engagement holds: a group's collective ones first."""

    def compose(self) -> ComposeResult:
        kinds = self.kinds
        options = OptionList(
            *[Option(t(f"session.kind.{k.value}"), id=k.value) for k in kinds], id="kinds"
        )
        options.highlighted = kinds.index(self.default)
        with Vertical(classes="dialog"):
            yield Static(t("ui.new_session.title"), classes="dialog-title")
            yield options
        yield Footer(compact=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(SessionKind(str(event.option.id)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class EngagementScreen(AoiScreen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", t("ui.key.back"), id="engagement.back"),
        Binding("enter", "open_session", t("ui.key.open"), id="engagement.open"),
        Binding("n", "new_session", t("ui.key.new_session"), id="engagement.new_session"),
        Binding("r", "resume", t("ui.key.resume"), id="engagement.resume"),
        Binding("f", "framing", t("ui.key.framing"), id="engagement.framing"),
        Binding("p", "follow_up", t("ui.key.follow_up"), id="engagement.follow_up"),
        Binding("c", "closing", t("ui.key.closing"), id="engagement.closing"),
        Binding("e", "export", t("ui.key.export"), id="engagement.export"),
        Binding(
            "a",
            "plan",
            t("ui.agenda.key_plan"),
            id="engagement.plan",
            tooltip=t("ui.agenda.palette_plan"),
        ),
        Binding("slash", "search", t("ui.key.search"), id="engagement.search"),
        Binding("w", "withdraw", t("ui.key.withdraw"), id="engagement.withdraw", show=False),
        Binding("ctrl+e", "erase", t("ui.key.erase"), id="engagement.erase", show=False),
        # a group may be in the room after its session ended: ctrl+b, it leaves
        group_safe_binding("engagement"),
    ]

    def __init__(self, engagement_id: str) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.erased = False
        self.group = False
        """A team or a peer group (ctrl+b brings the group in, or out)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary", classes="screen-title")
        with VerticalScroll():
            yield Static(t("ui.engagement.sessions"), classes="section")
            yield DataTable(id="sessions", cursor_type="row")
            # a group's people and charter (hidden for an individual engagement)
            yield Static(t("ui.engagement.participants"), classes="section", id="people-title")
            yield Static(id="people")
            yield Static(t("ui.engagement.charter"), classes="section", id="charter-title")
            yield Static(id="charter")
            yield Static(t("ui.engagement.actions"), classes="section")
            yield Static(id="actions")
            yield Static(t("ui.engagement.objectives"), classes="section")
            yield Static(id="objectives")
            yield Static(t("ui.engagement.exports"), classes="section")
            yield Static(id="exports")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        for key in ("number", "kind", "date", "notes", "state"):
            table.add_column(t(f"ui.col.{key}"), key=key)
        self.reload()

    def on_screen_resume(self) -> None:
        if not self.erased:  # back from the erase question: nothing left to show
            self.reload()

    def room_changed(self, room: Room) -> None:
        if not self.erased:
            self.reload()

    def in_a_group(self) -> bool:
        return self.group

    def reload(self) -> None:
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        e = ef.engagement()
        self.group = not e.individual
        summary = self.aoi.unlocked.summary(self.engagement_id)
        room = self.aoi.room
        # The N+1 sees sessions (dates, numbers, the agenda) only where the
        # agreement reports them, as in their report.
        dated = room is not Room.SPONSOR or attendance_reported(e)
        overdue = summary.cadence_overdue(clock.today()) if dated else None
        line = Text.assemble(
            (e.coachee, "bold"),
            f"  · {t('ui.col.sponsor')}{t('ui.sep.colon')}{e.sponsor or '—'}  · {t(f'ui.format.{e.format.value}')}",
            f"  · {summary.sessions_held}/{e.planned_sessions}" if dated else "",
            f"  · {t(f'status.{e.status.value}')}",
        )
        if (
            summary.planned and room is not Room.SPONSOR
        ):  # the nearest session still planned (a: plan, cancel)
            line.append("  · " + t("ui.agenda.next", when=summary.planned[0]))
        if overdue:
            line.append("  " + t("ui.cadence.overdue", days=overdue), style="bold reverse")
        if summary.retention_due(clock.today(), self.aoi.settings.retention_days):
            line.append("  " + t("ui.retention.due"), style="bold reverse")  # review: ctrl+e
        if not e.individual:
            line.append(f"  · {t(f'ui.format.{e.form.value}')}")
            # before the N+1 a count is an attendance figure: it would tell that
            # someone named nowhere (no consent, a withdrawal) is in the group
            if dated:
                line.append(", " + plural("ui.count.participants", len(e.participants)))
        self.query_one("#summary", Static).update(line)

        safe = room is not Room.COACH
        self.show_people(e, room)
        table = self.query_one("#sessions", DataTable)
        table.clear()
        notes = ef.notes()
        for s in ef.sessions() if dated else []:
            count = sum(
                1 for n in notes if n.session == s.number and (not safe or shown(n, e, room))
            )
            state = (
                t("ui.session.ended")
                if s.ended_at
                else t("ui.session.running")
                if s.started_at
                else t("ui.session.planned")
            )
            table.add_row(
                str(s.number),
                session_words(s, e, room),
                s.held_on.isoformat(),
                str(count),
                state,
                key=str(s.number),
            )

        actions = [
            a
            for a in ef.actions()
            if a.status is ActionStatus.OPEN and (not safe or shown(a, e, room))
        ]
        self.query_one("#actions", Static).update(
            Text(
                "\n".join(
                    f"• {a.text}  ({owner_words(a.owner, e)}"
                    + (f", {a.due.isoformat()}" if a.due else "")
                    + ")"
                    for a in actions
                )
                or "—"
            )
        )
        exports = sorted(
            # In the sponsor-safe view, only what was sent to the N+1, without its
            # path: no name, no count of the confidential file or the coachee's recaps.
            (x for x in ef.all(ExportRecord) if not safe or x.audience is Audience.SHARED),
            key=lambda x: x.at,
            reverse=True,
        )
        self.query_one("#exports", Static).update(
            Text(
                "\n".join(
                    f"• {x.at.strftime('%Y-%m-%d %H:%M')} {t(f'audience.{x.audience.value}')}"
                    + (f" {x.session}" if x.session and dated else "")
                    + f" ({x.format})"
                    + ("" if safe else f" → {x.filename}")  # a path may name a client folder
                    for x in exports
                )
                or "—"
            )
        )
        objectives = ef.objectives()
        if not e.individual:  # the room reads the group's objectives and no one's own
            objectives = [o for o in objectives if in_progress_view(o, e, room)]
        self.query_one("#objectives", Static).update(
            Text(
                "\n".join(
                    f"• {o.statement}"
                    + (f" [{t(f'area.{o.area.value}')}]" if o.area else "")
                    + ("" if safe else f" — {t(f'objective.{o.status.value}')}")
                    + ("" if e.individual else f" ({whose(o, e)})")
                    for o in objectives
                )
                or "—"
            )
        )

    def show_people(self, e: Engagement, room: Room) -> None:
        """A group's participants, each with their agreement in words (consent,
        what may be reported, withdrawal), and its charter with who agreed to it.
        With the N+1 or the group in the room: the names the N+1's report may
        give or the group's members (`named_in_the_room`), no one's agreement."""
        group = not e.individual
        for wid in ("#people-title", "#people", "#charter-title", "#charter"):
            self.query_one(wid, Static).display = group
        if not group:
            return
        people = named_in_the_room(e, room)
        lines = [
            f"• {participant_label(p)}"
            + ("" if room is not Room.COACH else f" — {agreement_words(p)}")
            for p in people
        ]
        self.query_one("#people", Static).update(Text("\n".join(lines) or "—"))
        charter = e.charter
        if charter is None:
            self.query_one("#charter", Static).update(t("ui.charter.none"))
            return
        rows = [
            (t(f"ui.charter.{key}"), getattr(charter, key))
            for key in ("confidentiality", "attendance", "recipients", "leaving")
        ]
        colon = t("ui.sep.colon")
        text = Text("\n".join(f"{label}{colon}{value or '—'}" for label, value in rows))
        if e.form is Form.PEERS:
            yes = t("yes") if charter.group_items_to_sponsors else t("no")
            text.append("\n" + t("ui.charter.to_sponsors", answer=yes))
        if room is Room.COACH:
            missing = [
                p.name
                for p in e.participants
                if p.withdrawn_on is None and not p.agreed_to(charter)
            ]
            text.append("\n")
            if missing:
                text.append(
                    t("ui.charter.not_agreed", names=", ".join(missing)), style="bold reverse"
                )
            else:
                text.append(t("ui.charter.agreed_by_all"), style="bold")
        self.query_one("#charter", Static).update(text)

    def _selected_session(self) -> int | None:
        table = self.query_one("#sessions", DataTable)
        if not table.row_count:
            return None
        return int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def action_open_session(self) -> None:
        from aoi_tui.screens.session import SessionScreen

        number = self._selected_session()
        if number is not None:
            self.app.push_screen(SessionScreen(self.engagement_id, number, resume=False))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_session()

    def action_new_session(self) -> None:
        start_or_resume(self.aoi, self.engagement_id, new=True)

    def action_resume(self) -> None:
        start_or_resume(self.aoi, self.engagement_id, new=False)

    def action_framing(self) -> None:
        from aoi_tui.screens.framing import FramingScreen

        self.app.push_screen(FramingScreen(self.engagement_id))

    def action_follow_up(self) -> None:
        from aoi_tui.screens.follow_up import FollowUpScreen

        self.app.push_screen(FollowUpScreen(self.engagement_id))

    def action_closing(self) -> None:
        from aoi_tui.screens.closing import ClosingScreen

        self.app.push_screen(ClosingScreen(self.engagement_id))

    def action_withdraw(self) -> None:
        from aoi_tui.screens.resume import ConfirmScreen

        store = self.aoi.unlocked
        ef = store.engagement(self.engagement_id)
        e = ef.engagement()
        if e.status in (Status.WITHDRAWN, Status.CLOSED):
            self.notify(
                t("ui.withdraw.not_now", status=t(f"status.{e.status.value}")), severity="warning"
            )
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            with failures_said(self):
                with ef.batch():
                    current = ef.engagement()
                    current.status = Status.WITHDRAWN
                    current.withdrawn_on = clock.today()
                    ef.update(current)
                self.notify(t("ui.withdraw.done"))
                store.refresh_summary(self.engagement_id)
            with contextlib.suppress(*STORE_FAILURES):  # said above; shown as it can be
                self.reload()

        self.app.push_screen(
            ConfirmScreen(t("ui.withdraw.title"), t("ui.withdraw.question", coachee=e.coachee)),
            answer,
        )

    def action_erase(self) -> None:
        from aoi_tui.screens.resume import ConfirmScreen

        store = self.aoi.unlocked
        ef = store.engagement(self.engagement_id)
        e = ef.engagement()
        question = t(
            "ui.erase.question",
            coachee=e.coachee,
            sessions=plural("ui.count.sessions", len(ef.sessions())),
            notes=plural("ui.count.notes", len(ef.notes())),
            actions=plural("ui.count.actions", len(ef.actions())),
            backups=plural("ui.count.backups", len(store.backups.newest_first(ef.path))),
        )

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            self.erased = True
            try:
                store.erase(self.engagement_id)
            except STORE_FAILURES as exc:
                # erasing is idempotent: the CLI finishes what is left
                self.app.notify(
                    t("ui.erase.unfinished", reason=str(exc), id=self.engagement_id),
                    severity="error",
                    timeout=30,
                )
            else:
                self.app.notify(t("ui.erase.done", coachee=e.coachee))
            self.app.pop_screen()

        self.app.push_screen(ConfirmScreen(t("ui.erase.title"), question), answer)

    def action_plan(self) -> None:
        from aoi_tui.screens.planning import PlanningScreen

        self.app.push_screen(PlanningScreen(self.engagement_id))

    def action_export(self) -> None:
        from aoi_tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.engagement_id))

    def action_search(self) -> None:
        from aoi_tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(self.engagement_id))
