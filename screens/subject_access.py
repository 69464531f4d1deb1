"""A person's access to their data, from the TUI (issue 16 §2): whose data (a
participant, in a group), the folder to write the HTML and the JSON into, what
to review first (texts naming other people, or the whole group: article
15(4)), the document itself, and the register of requests with their
deadlines. ctrl+o writes both files. In the Requests tab the coach records a
request (ctrl+r), and picks one in the list with the arrow keys to mark it
answered (ctrl+y) or give it two more months with the reason (ctrl+t), as
`aoi access-request add|answer|extend` do. While the N+1 is in the room a
cover hides it all."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal
from textual.widgets import (
    Footer,
    Header,
    Input,
    OptionList,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.widgets.option_list import Option

from aoi_tui.config.i18n import language, plural, t
from aoi_tui.domain import clock
from aoi_tui.domain.access_requests import AccessRequest
from aoi_tui.domain.participants import NoSuchParticipant
from aoi_tui.exports.subject_access import (
    AccessFile,
    NoSuchPerson,
    access_markdown,
    build_access_file,
    word as access_word,
)
from aoi_tui.exports.subject_access_export import (
    AccessFolderError,
    access_folder,
    build_access_exports,
    check_answer_names,
)
from aoi_tui.screens.base import STORE_FAILURES, AoiScreen
from aoi_tui.screens.export import write_and_say


def _row(label: str, *fields: tuple[str, str]) -> Horizontal:
    """A line of the register's form: its label, then each field (id, placeholder key)."""
    return Horizontal(
        Static(t(f"ui.access.{label}"), classes="access-label"),
        *(Input(id=f, compact=True, placeholder=t(f"ui.access.{key}")) for f, key in fields),
        classes="access-row",
    )


class SubjectAccessScreen(AoiScreen[None]):
    TAB_KEYS = {
        "record": ("access-tab-requests",),
        "answered": ("access-tab-requests",),
        "extend": ("access-tab-requests",),
    }
    BINDINGS = [
        Binding("ctrl+o", "write", t("ui.access.write"), id="access.write", priority=True),
        Binding("ctrl+r", "record", t("ui.access.record"), id="access.record", priority=True),
        Binding("ctrl+y", "answered", t("ui.access.answer"), id="access.answered", priority=True),
        Binding("ctrl+t", "extend", t("ui.access.extend"), id="access.extend", priority=True),
        Binding("escape", "app.pop_screen", t("ui.key.back"), id="access.back"),
        # still the key to quit, out of a footer full at 80 columns
        Binding("ctrl+q", "app.quit", t("ui.key.quit"), id="access.quit", show=False),
    ]

    def __init__(self, engagement_id: str) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.access: AccessFile | None = None
        self.request_lines: list[tuple[str, str]] = []
        """The register as listed: each request's id and its line."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="access-row"):
            yield Select([], prompt=t("ui.access.pick"), id="access-person", compact=True)
            yield Input(id="access-folder", compact=True, placeholder=t("ui.access.folder"))
        yield Static(id="access-state", classes="message")
        with Container(classes="covered", id="access-body"):
            with TabbedContent(id="access-tabs"):
                with TabPane(t("ui.access.review"), id="access-tab-review"):
                    yield TextArea(id="access-review", read_only=True, soft_wrap=True)
                with TabPane(t("ui.access.document"), id="access-tab-document"):
                    yield TextArea(id="access-document", read_only=True, soft_wrap=True)
                with TabPane(t("ui.access.requests"), id="access-tab-requests"):
                    yield _row(
                        "received_label",
                        ("access-received", "received"),
                        ("access-identity", "identity"),
                    )
                    yield _row(
                        "answered_label",
                        ("access-answered", "answered_on"),
                        ("access-withheld", "withheld"),
                    )
                    yield _row("extend_label", ("access-reason", "reason"))
                    yield OptionList(id="access-requests")
            yield Static(t("ui.sponsor_safe.covered"), classes="cover")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = t("ui.access.title")
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        eng = ef.engagement()
        person = self.query_one("#access-person", Select)
        with self.prevent(Select.Changed):
            person.set_options([(p.name, p.id) for p in eng.participants])
            if eng.individual:
                person.value = eng.participants[0].id
        person.display = not eng.individual
        if eng.individual:  # keys never go to a field not on screen
            self.query_one("#access-folder", Input).focus()
        self.query_one("#access-folder", Input).value = str(
            Path.cwd() / f"aoi-{self.engagement_id[:8]}-access"
        )
        today = clock.today().isoformat()
        self.query_one("#access-received", Input).value = today
        self.query_one("#access-answered", Input).value = today
        self.show_requests()
        self.rebuild()

    # -- the register --

    def show_requests(self, highlight: str | None = None) -> None:
        """The register, oldest first; the request just changed stays highlighted,
        else the oldest still open."""
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        names = {p.id: p.name for p in ef.engagement().participants}
        requests = sorted(ef.all(AccessRequest), key=lambda r: (r.received, r.recorded_on))
        listed = self.query_one("#access-requests", OptionList)
        listed.clear_options()
        if not requests:
            self.request_lines = []
            listed.add_option(Option(t("ui.access.no_request"), disabled=True))
            return
        self.request_lines = [(r.id, self._request_line(r, names)) for r in requests]
        listed.add_options(
            [Option(self._prompt(line, False), id=i) for i, line in self.request_lines]
        )
        ids = [r.id for r in requests]
        opened = [r.id for r in requests if r.open]
        chosen = highlight if highlight in ids else (opened or ids)[0]
        listed.highlighted = ids.index(chosen)

    @staticmethod
    def _prompt(line: str, chosen: bool) -> Text:
        # the request the keys act on is said by a mark, not by colour alone
        return Text(("› " if chosen else "  ") + line)

    @on(OptionList.OptionHighlighted, "#access-requests")
    def _mark_chosen(self, event: OptionList.OptionHighlighted) -> None:
        listed = event.option_list
        for index, (_, line) in enumerate(self.request_lines):
            listed.replace_option_prompt_at_index(
                index, self._prompt(line, index == event.option_index)
            )

    @staticmethod
    def _request_line(r: AccessRequest, names: dict[str, str]) -> str:
        if r.answered_on:
            state = t("ui.access.answered", date=r.answered_on.isoformat())
        else:
            state = t("ui.access.answer_by", date=r.deadline.isoformat())
            if r.extended:
                reason = " ".join(r.extension_reason.split())
                state += f" ({t('ui.access.extended', reason=reason)})"
        return t(
            "ui.access.request",
            id=r.id,
            name=names.get(r.participant, r.participant),
            received=r.received.isoformat(),
            state=state,
        )

    def _highlighted(self) -> AccessRequest | None:
        """The request highlighted in the list, as the store holds it now (None: said)."""
        listed = self.query_one("#access-requests", OptionList)
        index = listed.highlighted
        option = listed.get_option_at_index(index) if index is not None else None
        if option is None or option.id is None:
            self.notify(t("ui.access.choose_request"), severity="error")
            return None
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        found = [r for r in ef.all(AccessRequest) if r.id == option.id]
        if not found:  # erased meanwhile, with its person, by another aoi
            self.notify(t("ui.access.gone"), severity="error")
            self.show_requests()
            return None
        return found[0]

    def _saved(self, record: AccessRequest, insert: bool) -> bool:
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        try:
            (ef.insert if insert else ef.update)(record)
            self.aoi.unlocked.refresh_summary(self.engagement_id)
        except KeyError:  # gone from the file meanwhile (an erasure in another aoi)
            self.notify(t("ui.access.gone"), severity="error")
            self.show_requests()
            return False
        except STORE_FAILURES as exc:
            self.notify(t("ui.export.failed", reason=str(exc)), severity="error", timeout=10)
            return False
        self.show_requests(highlight=record.id)
        return True

    def _day(self, selector: str) -> date | None:
        value = self.query_one(selector, Input).value.strip()
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
        if day is None or day > clock.today():
            self.notify(t("ui.access.bad_day", value=value), severity="error")
            return None
        return day

    def _person(self) -> str | None:
        """The person chosen, still a participant of the engagement (None: said)."""
        value = self.query_one("#access-person", Select).value
        if value is Select.NULL:
            self.notify(t("ui.access.pick"), severity="error")
            return None
        people = self.aoi.unlocked.engagement(self.engagement_id).engagement().participants
        if all(p.id != value for p in people):  # erased meanwhile: no request is theirs now
            self.notify(t("ui.access.gone"), severity="error")
            return None
        return str(value)

    def action_record(self) -> None:
        """A request received for the person chosen, with how their identity was checked."""
        person, day = self._person(), self._day("#access-received")
        if person is None or day is None:
            return
        identity = self.query_one("#access-identity", Input).value
        request = AccessRequest(participant=person, received=day, identity=identity)
        if self._saved(request, insert=True):
            self.notify(t("ui.access.recorded", date=request.deadline.isoformat()))

    def action_answered(self) -> None:
        """The request highlighted, answered on the day given (once: the date an
        answer left is kept as it was recorded)."""
        request = self._highlighted()
        if request is None:
            return
        if request.answered_on is not None:
            self.notify(
                t("ui.access.answered_already", id=request.id, date=request.answered_on),
                severity="error",
            )
            return
        day = self._day("#access-answered")
        if day is None:
            return
        if day < request.received:
            self.notify(t("ui.access.before", date=request.received.isoformat()), severity="error")
            return
        withheld = self.query_one("#access-withheld", Input).value
        changed = request.model_copy(update={"answered_on": day, "withheld": withheld})
        if self._saved(changed, insert=False):
            self.query_one("#access-withheld", Input).value = ""
            late = day > request.deadline
            self.notify(
                t(
                    "ui.access.late" if late else "ui.access.marked",
                    id=request.id,
                    date=day.isoformat(),
                    deadline=request.deadline.isoformat(),
                )
            )

    def action_extend(self) -> None:
        """Two more months for the request highlighted, with the reason (article 12(3))."""
        request = self._highlighted()
        if request is None:
            return
        if request.answered_on is not None:
            self.notify(
                t("ui.access.answered_already", id=request.id, date=request.answered_on),
                severity="error",
            )
            return
        if request.extended:
            self.notify(t("ui.access.extended_already", id=request.id), severity="error")
            return
        reason = self.query_one("#access-reason", Input).value
        if not reason.strip():
            self.notify(t("ui.access.no_reason"), severity="error")
            self.query_one("#access-reason", Input).focus()
            return
        changed = request.model_copy(update={"extended": True, "extension_reason": reason})
        if self._saved(changed, insert=False):
            self.query_one("#access-reason", Input).value = ""
            self.notify(
                t("ui.access.extended_until", id=request.id, date=changed.deadline.isoformat()),
                timeout=10,
            )

    # -- the answer --

    @on(Select.Changed, "#access-person")
    def rebuild(self) -> None:
        state = self.query_one("#access-state", Static)
        value = self.query_one("#access-person", Select).value
        if value is Select.NULL:
            self.access = None
            state.update(Text(t("ui.access.pick"), style="bold"))
            return
        try:
            self.access = build_access_file(
                self.aoi.unlocked.engagement(self.engagement_id),
                str(value),
                self.aoi.settings.controller,
                self.aoi.settings.retention_days,
            )
        except (NoSuchPerson, NoSuchParticipant) as exc:
            self.access = None
            state.update(Text(str(exc), style="bold"))
            return
        flagged = self.access.flagged
        state.update(
            Text(plural("ui.access.to_review", len(flagged)), style="bold")
            if flagged
            else t("ui.access.nothing_to_review")
        )
        group = access_word("group", language())
        self.query_one("#access-review", TextArea).load_text(
            "\n".join(
                f"{x.what}{f' s{x.session}' if x.session else ''}{t('ui.sep.colon')}"
                f"{', '.join(x.names_others) or group} — {' '.join(x.text.split())[:300]}"
                for x in flagged
            )
            or t("ui.access.nothing_to_review")
        )
        self.query_one("#access-document", TextArea).load_text(
            access_markdown(self.access, language())
        )

    def action_write(self) -> None:
        value = self.query_one("#access-person", Select).value
        if self.access is None or value is Select.NULL:
            self.notify(t("ui.access.pick"), severity="error")
            return
        store = self.aoi.unlocked
        target = self.query_one("#access-folder", Input).value.strip()
        try:
            exports, _ = build_access_exports(
                store,
                self.engagement_id,
                str(value),
                language(),
                controller=self.aoi.settings.controller,
                retention_days=self.aoi.settings.retention_days,
            )
            folder = access_folder(store, target)
            check_answer_names(folder, exports)
        except (AccessFolderError, NoSuchPerson, NoSuchParticipant) as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        for export in exports:  # the HTML, then the JSON: both or said which not
            if not write_and_say(self, self.engagement_id, export, str(folder), close=False):
                return
        self.app.pop_screen()


__all__ = ["SubjectAccessScreen"]
