"""A person's access to their data, from the TUI (issue 16 §2): whose data (a
participant, in a group), the folder to write the HTML and the JSON into, what
to review first (texts naming other people, or the whole group: article
15(4)), the document itself, and the open requests of the register with their
deadlines. ctrl+o writes both files. While the N+1 is in the room a cover
hides it all."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal
from textual.widgets import Footer, Header, Input, Select, Static, TabbedContent, TabPane, TextArea

from aoi_tui.config.i18n import language, t
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
)
from aoi_tui.exports.writing import ExportNotRecorded, write_export
from aoi_tui.screens.base import STORE_FAILURES, AoiScreen
from aoi_tui.secure.durable import StoreWriteError

# The screen's own words. They join the catalogs (data/i18n, `ui.access`) once the
# UI catalogs being edited for issues 14 and 15 are committed.
WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Demande d'accès aux données (RGPD, art. 15)",
        "folder": "Dossier où écrire la réponse (HTML et JSON)",
        "review": "À relire",
        "document": "Document",
        "requests": "Demandes",
        "nothing_to_review": "Aucun texte ne nomme une autre personne.",
        "to_review": "{count} texte(s) nomment d'autres personnes ou tout le groupe : "
        "relisez-les avant l'envoi (article 15(4)).",
        "no_request": "Aucune demande enregistrée : aoi access-request add.",
        "request": "{id} reçue le {received} — {state}",
        "answer_by": "répondre avant le {date}",
        "answered": "répondue le {date}",
        "pick": "Choisissez la personne.",
        "write": "Écrire",
        "written": "Écrit dans {folder}.",
        "received": "Reçue le (AAAA-MM-JJ)",
        "received_label": "Reçue le ",
        "answered_label": "Répondue le ",
        "identity": "Identité vérifiée comment",
        "answered_on": "Répondue le (AAAA-MM-JJ)",
        "record": "Demande reçue",
        "answer": "Répondue",
        "recorded": "Demande enregistrée : répondre avant le {date}.",
        "marked": "Demande {id} notée répondue le {date}.",
        "no_open": "Aucune demande ouverte pour cette personne.",
        "bad_day": "{value!r} n'est pas une date passée (AAAA-MM-JJ).",
        "before": "Répondue avant d'être reçue ({date}) ?",
    },
    "en": {
        "title": "A request for one's data (GDPR art. 15)",
        "folder": "Folder to write the answer into (HTML and JSON)",
        "review": "To review",
        "document": "Document",
        "requests": "Requests",
        "nothing_to_review": "No text names another person.",
        "to_review": "{count} text(s) name other people or the whole group: review them "
        "before sending (article 15(4)).",
        "no_request": "No request recorded: aoi access-request add.",
        "request": "{id} received {received} — {state}",
        "answer_by": "answer by {date}",
        "answered": "answered {date}",
        "pick": "Choose the person.",
        "write": "Write",
        "written": "Written in {folder}.",
        "received": "Received on (YYYY-MM-DD)",
        "received_label": "Received on ",
        "answered_label": "Answered on ",
        "identity": "How their identity was checked",
        "answered_on": "Answered on (YYYY-MM-DD)",
        "record": "Received",
        "answer": "Answered",
        "recorded": "Request recorded: answer by {date}.",
        "marked": "Request {id} marked answered on {date}.",
        "no_open": "No open request for this person.",
        "bad_day": "{value!r} is not a day in the past (YYYY-MM-DD).",
        "before": "Answered before it was received ({date})?",
    },
}


def word(key: str, **values: object) -> str:
    text = WORDS["fr" if language() == "fr" else "en"][key]
    return text.format(**values) if values else text


class SubjectAccessScreen(AoiScreen[None]):
    # Its styles join app.tcss once the edits to it for issues 14 and 15 are committed.
    DEFAULT_CSS = """
    SubjectAccessScreen {
        .access-row { height: 1; }
        #access-person { width: 30; margin-right: 1; }
        #access-received, #access-answered { width: 12; margin-right: 1; }
        .access-label { width: 13; }
        #access-folder, #access-identity { width: 1fr; }
        #access-state { height: auto; max-height: 3; }
        #access-body { height: 1fr; }
        #access-tabs { height: 1fr; }
        #access-tabs > ContentSwitcher { height: 1fr; }
        #access-tabs > ContentSwitcher > TabPane { height: 1fr; }
        #access-review, #access-document, #access-requests { height: 1fr; }
    }
    """
    TAB_KEYS = {
        "record": ("access-tab-requests",),
        "answered": ("access-tab-requests",),
    }
    BINDINGS = [
        Binding("ctrl+o", "write", word("write"), id="access.write", priority=True),
        Binding("ctrl+r", "record", word("record"), id="access.record", priority=True),
        Binding("ctrl+y", "answered", word("answer"), id="access.answered", priority=True),
        Binding("escape", "app.pop_screen", t("ui.key.back"), id="access.back"),
    ]

    def __init__(self, engagement_id: str) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.access: AccessFile | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="access-row"):
            yield Select([], prompt=word("pick"), id="access-person", compact=True)
            yield Input(id="access-folder", compact=True, placeholder=word("folder"))
        yield Static(id="access-state", classes="message")
        with Container(classes="covered", id="access-body"):
            with TabbedContent(id="access-tabs"):
                with TabPane(word("review"), id="access-tab-review"):
                    yield TextArea(id="access-review", read_only=True, soft_wrap=True)
                with TabPane(word("document"), id="access-tab-document"):
                    yield TextArea(id="access-document", read_only=True, soft_wrap=True)
                with TabPane(word("requests"), id="access-tab-requests"):
                    with Horizontal(classes="access-row"):
                        yield Static(word("received_label"), classes="access-label")
                        yield Input(
                            id="access-received", compact=True, placeholder=word("received")
                        )
                        yield Input(
                            id="access-identity", compact=True, placeholder=word("identity")
                        )
                    with Horizontal(classes="access-row"):
                        yield Static(word("answered_label"), classes="access-label")
                        yield Input(
                            id="access-answered", compact=True, placeholder=word("answered_on")
                        )
                    yield TextArea(id="access-requests", read_only=True, soft_wrap=True)
            yield Static(t("ui.sponsor_safe.covered"), classes="cover")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = word("title")
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        eng = ef.engagement()
        person = self.query_one("#access-person", Select)
        with self.prevent(Select.Changed):
            person.set_options([(p.name, p.id) for p in eng.participants])
            if eng.individual:
                person.value = eng.participants[0].id
        person.display = not eng.individual
        self.query_one("#access-folder", Input).value = str(
            Path.cwd() / f"aoi-{self.engagement_id[:8]}-access"
        )
        today = clock.today().isoformat()
        self.query_one("#access-received", Input).value = today
        self.query_one("#access-answered", Input).value = today
        self.show_requests()
        self.rebuild()

    def show_requests(self) -> None:
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        names = {p.id: p.name for p in ef.engagement().participants}
        requests = sorted(ef.all(AccessRequest), key=lambda r: r.received)
        self.query_one("#access-requests", TextArea).load_text(
            "\n".join(
                word(
                    "request",
                    id=f"{r.id} · {names.get(r.participant, r.participant)}",
                    received=r.received.isoformat(),
                    state=word("answered", date=r.answered_on.isoformat())
                    if r.answered_on
                    else word("answer_by", date=r.deadline.isoformat()),
                )
                for r in requests
            )
            or word("no_request")
        )

    @on(Select.Changed, "#access-person")
    def rebuild(self) -> None:
        state = self.query_one("#access-state", Static)
        value = self.query_one("#access-person", Select).value
        if value is Select.NULL:
            self.access = None
            state.update(Text(word("pick"), style="bold"))
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
            Text(word("to_review", count=len(flagged)), style="bold")
            if flagged
            else word("nothing_to_review")
        )
        group = access_word("group", language())
        self.query_one("#access-review", TextArea).load_text(
            "\n".join(
                f"{x.what}{f' s{x.session}' if x.session else ''}: "
                f"{', '.join(x.names_others) or group} — {' '.join(x.text.split())[:300]}"
                for x in flagged
            )
            or word("nothing_to_review")
        )
        self.query_one("#access-document", TextArea).load_text(
            access_markdown(self.access, language())
        )

    def _day(self, selector: str) -> date | None:
        value = self.query_one(selector, Input).value.strip()
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
        if day is None or day > clock.today():
            self.notify(word("bad_day", value=value), severity="error")
            return None
        return day

    def _person(self) -> str | None:
        value = self.query_one("#access-person", Select).value
        if value is Select.NULL:
            self.notify(word("pick"), severity="error")
            return None
        return str(value)

    def _saved(self, record: AccessRequest, insert: bool) -> bool:
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        try:
            (ef.insert if insert else ef.update)(record)
            self.aoi.unlocked.refresh_summary(self.engagement_id)
        except STORE_FAILURES as exc:
            self.notify(t("ui.export.failed", reason=str(exc)), severity="error", timeout=10)
            return False
        self.show_requests()
        return True

    def action_record(self) -> None:
        """A request received for the person chosen, with how their identity was checked."""
        person, day = self._person(), self._day("#access-received")
        if person is None or day is None:
            return
        identity = self.query_one("#access-identity", Input).value
        request = AccessRequest(participant=person, received=day, identity=identity)
        if self._saved(request, insert=True):
            self.notify(word("recorded", date=request.deadline.isoformat()))

    def action_answered(self) -> None:
        """The person's oldest open request, answered on the day given."""
        person, day = self._person(), self._day("#access-answered")
        if person is None or day is None:
            return
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        pending = sorted(
            (r for r in ef.all(AccessRequest) if r.participant == person and r.open),
            key=lambda r: r.received,
        )
        if not pending:
            self.notify(word("no_open"), severity="warning")
            return
        oldest = pending[0]
        if day < oldest.received:
            self.notify(word("before", date=oldest.received.isoformat()), severity="error")
            return
        if self._saved(oldest.model_copy(update={"answered_on": day}), insert=False):
            self.notify(word("marked", id=oldest.id, date=day.isoformat()))

    def action_write(self) -> None:
        value = self.query_one("#access-person", Select).value
        if self.access is None or value is Select.NULL:
            self.notify(word("pick"), severity="error")
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
            for export in exports:
                write_export(store, self.engagement_id, export, str(folder))
        except AccessFolderError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        except ExportNotRecorded as exc:
            self.notify(str(exc), severity="error", timeout=15)
            self.app.pop_screen()
            return
        except (StoreWriteError, OSError) as exc:
            self.notify(t("ui.export.failed", reason=str(exc)), severity="error", timeout=10)
            return
        self.notify(word("written", folder=str(folder)), timeout=8)
        self.app.pop_screen()


__all__ = ["WORDS", "SubjectAccessScreen"]
