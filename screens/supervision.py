"""The coach's supervision log: what was logged and its totals, and a form to log
one more (the day, the supervisor, the hours, individual or group, the case as
an engagement's id, what was learned). The coach's own record: while the N+1 is
in the room a cover hides it, and what is typed meanwhile is kept, unseen."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.widgets import Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from aoi_tui.config.i18n import plural, t
from aoi_tui.domain import clock
from aoi_tui.screens.base import STORE_FAILURES, AoiScreen
from aoi_tui.secure.storage import StoreFileError

NO_CASE = "-"


def hours_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


class SupervisionScreen(AoiScreen[None]):
    BINDINGS = [
        Binding("ctrl+o", "save", t("ui.supervision.save"), id="supervision.save", priority=True),
        Binding("escape", "app.pop_screen", t("ui.key.back"), id="supervision.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("ui.supervision.title"), classes="screen-title")
        with Container(classes="covered", id="supervision-body"):
            with Vertical():
                yield OptionList(id="supervision-entries")
                yield Static("", id="supervision-totals", classes="message")
                with Horizontal(classes="supervision-row"):
                    yield Input(
                        clock.today().isoformat(),
                        placeholder=t("ui.supervision.date"),
                        id="supervision-date",
                        compact=True,
                    )
                    yield Input(
                        placeholder=t("ui.supervision.hours"), id="supervision-hours", compact=True
                    )
                    yield Input(
                        placeholder=t("ui.supervision.supervisor"),
                        id="supervision-supervisor",
                        compact=True,
                    )
                with Horizontal(classes="supervision-row"):
                    yield Select(
                        [
                            (t("supervision.form.individual"), "individual"),
                            (t("supervision.form.group"), "group"),
                        ],
                        value="individual",
                        allow_blank=False,
                        id="supervision-form",
                        compact=True,
                    )
                    yield Select(
                        [], prompt=t("ui.supervision.case"), id="supervision-case", compact=True
                    )
                yield Input(
                    placeholder=t("ui.supervision.learned"),
                    id="supervision-learned",
                    compact=True,
                )
                yield Static("", id="supervision-state", classes="message")
            yield Static(t("ui.sponsor_safe.covered"), classes="cover")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # The case is chosen among this store's engagements and kept as an id only.
        summaries = self.aoi.unlocked.list_engagements()
        self.query_one("#supervision-case", Select).set_options(
            [(t("ui.supervision.no_case"), NO_CASE)]
            + [(f"{s.id} — {s.coachee}", s.id) for s in summaries]
        )
        self.query_one("#supervision-case", Select).value = NO_CASE
        self.reload()
        self.query_one("#supervision-hours", Input).focus()

    def reload(self) -> None:
        from aoi_tui.domain.supervision import totals
        from aoi_tui.store.supervision_log import SupervisionLog

        listed = self.query_one("#supervision-entries", OptionList)
        shown = self.query_one("#supervision-totals", Static)
        listed.clear_options()
        try:
            entries = SupervisionLog(self.aoi.unlocked).entries()
        except StoreFileError as exc:
            shown.update(Text(t("ui.supervision.unreadable", reason=exc.said), style="bold"))
            return
        listed.add_options(
            [
                Option(
                    Text(
                        t(
                            "supervision.line",
                            date=e.on.isoformat(),
                            hours=hours_text(e.hours),
                            form=t(f"supervision.form.{e.form.value}"),
                            supervisor=e.supervisor,
                            case=e.case or (t("supervision.case_erased") if e.case_erased else "—"),
                        )
                        + (f" — {' '.join(e.learned.split())}" if e.learned.strip() else "")
                    ),
                    id=e.id,
                )
                for e in reversed(entries)  # the newest first
            ]
        )
        sums = totals(entries)
        shown.update(
            t(
                "supervision.totals",
                count=plural("supervision.count", sums.sessions),
                hours=hours_text(sums.hours),
                individual=hours_text(sums.individual_hours),
                group=hours_text(sums.group_hours),
            )
            if entries
            else t("supervision.none")
        )

    def action_save(self) -> None:
        from datetime import date

        from pydantic import ValidationError

        from aoi_tui.domain.problems import first_problem
        from aoi_tui.domain.supervision import SupervisionEntry, SupervisionForm, parse_hours
        from aoi_tui.store.supervision_log import SupervisionLog, UnknownCase

        state = self.query_one("#supervision-state", Static)
        typed = self.query_one("#supervision-date", Input).value.strip()
        try:
            day = date.fromisoformat(typed)
        except ValueError:
            state.update(Text(t("ui.supervision.bad_date", date=typed[:40]), style="bold"))
            return
        case = self.query_one("#supervision-case", Select).value
        try:
            hours = parse_hours(self.query_one("#supervision-hours", Input).value)
            entry = SupervisionEntry(
                on=day,
                supervisor=self.query_one("#supervision-supervisor", Input).value,
                hours=hours,
                form=SupervisionForm(str(self.query_one("#supervision-form", Select).value)),
                case=None if case in (NO_CASE, Select.NULL) else str(case),
                learned=self.query_one("#supervision-learned", Input).value,
            )
        except ValidationError as exc:
            reason = first_problem(exc).reason.removeprefix("Value error, ")
            state.update(Text(reason, style="bold"))
            return
        except ValueError as exc:
            state.update(Text(str(exc), style="bold"))
            return
        try:
            SupervisionLog(self.aoi.unlocked).add(entry)
        except UnknownCase as exc:
            state.update(Text(str(exc), style="bold"))
            return
        except STORE_FAILURES as exc:
            # not saved: said, and what was typed stays in the form
            state.update(Text(t("ui.supervision.not_saved", reason=str(exc)), style="bold"))
            return
        for field in ("hours", "supervisor", "learned"):
            self.query_one(f"#supervision-{field}", Input).value = ""
        state.update(t("ui.supervision.saved"))
        self.reload()
