"""Exporting from the TUI: choose what (the sponsor's report, the confidential
file, a session recap) and the format, see exactly what will leave, write it.
For a team or a peer group, what `aoi export` makes for it: the confidential
file, the report for each N+1, the group's recap and each participant's own,
through the same builders and refusals (`group_export`)."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Label, Select, Static, TextArea

from aoi_tui.config.i18n import language, t
from aoi_tui.domain.allow_list import sponsors
from aoi_tui.domain.models import Audience, Engagement
from aoi_tui.domain.vocabulary import Room
from aoi_tui.exports.group_documents import NoConsentYet, NoSuchRecipient
from aoi_tui.exports.group_export import GroupDocument, build_group_export, group_documents
from aoi_tui.exports.markdown_parts import capital
from aoi_tui.exports.shared_report import ConsentMissing
from aoi_tui.exports.writing import (
    EXPORT_FORMATS,
    WORD,
    Export,
    ExportNotRecorded,
    ExportPathError,
    build_export,
    output_path,
    shown,
    write_export,
)
from aoi_tui.screens.base import AoiScreen
from aoi_tui.screens.group_room import named_in_the_room
from aoi_tui.secure.durable import StoreWriteError

if TYPE_CHECKING:
    from aoi_tui.store.store import Store


# One coachee: no group to recap, no group in the room (a group's own list is
# made from its documents, `offer_group_documents`).
INDIVIDUAL_AUDIENCES = [a for a in Audience if a not in (Audience.GROUP_RECAP, Audience.GROUP_ROOM)]


class ExportScreen(AoiScreen[None]):
    BINDINGS = [
        Binding("ctrl+o", "write", t("ui.key.write_export"), id="export.write", priority=True),
        Binding("escape", "app.pop_screen", t("ui.key.back"), id="export.back"),
    ]

    def __init__(self, engagement_id: str, session: int | None = None) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.session = session
        self.export: Export | None = None
        self.documents: dict[str, GroupDocument] = {}
        """A group's documents, by their value in the list of what to export."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="export-form"):
            with Horizontal(classes="row"):
                yield Select(
                    [(t(f"audience.{a.value}"), a.value) for a in INDIVIDUAL_AUDIENCES],
                    value=Audience.SHARED.value,
                    allow_blank=False,
                    id="audience",
                )
                yield Select(
                    [(t("ui.export.word") if f == WORD else f, f) for f in EXPORT_FORMATS],
                    value="md",
                    allow_blank=False,
                    id="format",
                )
            yield Label(t("ui.export.file"))
            # the file comes right after the format for every kind, a recap's session
            # after it: Tab, Tab reaches the file whatever is exported
            with Horizontal(classes="row"):
                yield Input(id="path")
                yield Select([], prompt=t("ui.export.session"), id="session")
            yield Static(id="export-destination")
        yield Static(id="export-state", classes="message")
        yield TextArea(id="preview", read_only=True, soft_wrap=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        sessions = ef.sessions()
        session_select = self.query_one("#session", Select)
        session_select.set_options(
            [(f"{t('export.session')} {s.number}", s.number) for s in sessions]
        )
        if sessions:
            session_select.value = self.session or sessions[-1].number
        if not ef.engagement().individual:
            self.offer_group_documents(ef.engagement())
        elif self.session is not None:
            self.query_one("#audience", Select).value = Audience.RECAP.value
        self.rebuild()

    def offer_group_documents(self, engagement: Engagement) -> None:
        """What to export for a group, each document named by its reader; then
        the case for supervision, the programme feed, a request for one's data.
        With the N+1 or the group in the room, a participant's recap only for
        those the engagement screen names there (`named_in_the_room`); with the
        N+1 in the room, neither the confidential file nor another N+1's report
        (`listed_before_the_n1`)."""
        self.add_class("-group")
        named = {p.id for p in named_in_the_room(engagement, self.aoi.room)}
        self.documents = {
            f"group-{i}": d  # keyed by rank in the whole list: a choice outlives a room
            for i, d in enumerate(group_documents(engagement))
            if (d.participant is None or d.participant in named)
            and (self.aoi.room is not Room.SPONSOR or listed_before_the_n1(d, engagement))
        }
        options = [(self.reader_words(d, engagement), key) for key, d in self.documents.items()]
        elsewhere = (Audience.SUPERVISION, Audience.PROGRAMME, Audience.SUBJECT_ACCESS)
        # capitalised as the readers' names above them ("Dossier confidentiel")
        options += [(capital(t(f"audience.{a.value}")), a.value) for a in elsewhere]
        audience = self.query_one("#audience", Select)
        chosen = audience.value
        audience.set_options(options)
        kept = chosen in self.documents or chosen in {a.value for a in elsewhere}
        audience.value = chosen if kept else self.first_choice()

    @staticmethod
    def reader_words(document: GroupDocument, engagement: Engagement) -> str:
        if document.for_sponsor is not None:
            return t("ui.export.group_report", name=document.for_sponsor)
        if document.participant is not None:
            person = engagement.member(document.participant)
            return t("ui.export.participant_recap", name=person.name if person else "?")
        if document.audience is Audience.RECAP:
            return t("ui.export.group_recap")
        return capital(t(f"audience.{document.audience.value}"))

    def first_choice(self) -> str:
        """The sponsor's report (an N+1's, for a group); a recap when the screen
        was opened for a session."""
        if not self.documents:
            return Audience.SHARED.value
        wanted = Audience.RECAP if self.session is not None else Audience.SHARED
        for key, d in self.documents.items():
            if d.audience is wanted:
                return key
        return next(iter(self.documents))

    @on(Select.Changed)
    def rebuild(self) -> None:
        choice = str(self.query_one("#audience", Select).value)
        document = self.documents.get(choice)
        audience = document.audience if document else Audience(choice)
        if audience is Audience.SUPERVISION:  # a case: its question, notes, reflections
            from aoi_tui.screens.supervision_case import SupervisionCaseScreen

            self.query_one("#audience", Select).value = self.first_choice()
            self.app.push_screen(SupervisionCaseScreen(self.engagement_id))
            return
        if audience is Audience.PROGRAMME:  # a programme's feed: codes and numbers, sealed
            from aoi_tui.screens.programme_feed import ProgrammeFeedScreen

            self.query_one("#audience", Select).value = self.first_choice()
            self.app.push_screen(ProgrammeFeedScreen())
            return
        if audience is Audience.SUBJECT_ACCESS:  # a person's own data: a folder, two files
            from aoi_tui.screens.subject_access import SubjectAccessScreen

            self.query_one("#audience", Select).value = self.first_choice()
            self.app.push_screen(SubjectAccessScreen(self.engagement_id))
            return
        fmt = str(self.query_one("#format", Select).value)
        session_value = self.query_one("#session", Select).value
        session = int(str(session_value)) if session_value is not Select.NULL else None
        self.query_one("#session", Select).display = audience is Audience.RECAP
        state = self.query_one("#export-state", Static)
        preview = self.query_one("#preview", TextArea)
        try:
            self.export = self.build(audience, fmt, session, document)
        except (ConsentMissing, NoSuchRecipient, ValueError) as exc:
            self.export = None
            state.update(Text(refusal_words(exc, audience, session), style="bold"))
            preview.load_text("")
            return
        path = self.query_one("#path", Input)
        if not path.value or Path(path.value).name.startswith("aoi-"):
            path.value = str(Path.cwd() / self.export.default_name)
        self.show_destination()
        what = "ui.export.preview_shared" if audience is Audience.SHARED else "ui.export.preview"
        words = t(what)
        if document is not None and audience is not Audience.CONFIDENTIAL:
            words = t("ui.export.preview_for", reader=self.reader_of(document))
        if self.export.document is not None:  # a Word file: its text, not its bytes
            words = t("ui.export.preview_word")
        if not self.readable_in_the_room(audience, document):
            # the N+1 or the group reads the screen: not a document for them
            state.update(Text(t("ui.export.not_for_the_room"), style="bold"))
            preview.load_text("")
            return
        state.update(Text(words, style="bold"))
        preview.load_text(self.export.content)  # exactly the bytes that will be written

    @on(Input.Changed, "#path")
    def show_destination(self) -> None:
        """Where ctrl+o writes, in words, before it does: the file typed (a folder:
        the default name in it), whether it replaces one, or why not there."""
        line = self.query_one("#export-destination", Static)
        if self.export is None:
            line.update("")
            return
        typed = self.query_one("#path", Input).value.strip()
        line.update(Text(destination_words(self.aoi.unlocked, typed, self.export.default_name)))

    def room_changed(self, room: Room) -> None:
        if self.documents:  # a group's: the recaps of those named in this room
            self.offer_group_documents(
                self.aoi.unlocked.engagement(self.engagement_id).engagement()
            )
        self.rebuild()  # what shows is what whoever came in may read

    def readable_in_the_room(self, audience: Audience, document: GroupDocument | None) -> bool:
        """Whether the document shows with `room` in the room: anything to the coach
        alone; to the N+1, their report (a group's: when the group has one N+1, a
        report for one being no other's); to the group, the group's recap."""
        room = self.aoi.room
        if room is Room.COACH:
            return True
        if document is None:  # an individual engagement: the coachee is the group
            return audience is Audience.SHARED or (
                room is Room.GROUP and audience is Audience.RECAP
            )
        if room is Room.SPONSOR:
            engagement = self.aoi.unlocked.engagement(self.engagement_id).engagement()
            return document.for_sponsor is not None and len(sponsors(engagement)) == 1
        return (
            document.audience is Audience.RECAP
            and document.participant is None
            and document.for_sponsor is None
        )

    def build(
        self, audience: Audience, fmt: str, session: int | None, document: GroupDocument | None
    ) -> Export:
        store, recap = self.aoi.unlocked, audience is Audience.RECAP
        if document is None:
            return build_export(
                store, self.engagement_id, audience, fmt, language(), session if recap else None
            )
        return build_group_export(
            store,
            self.engagement_id,
            audience,
            fmt,
            language(),
            session if recap else None,
            for_sponsor=document.for_sponsor,
            participant=document.participant,
        )

    def reader_of(self, document: GroupDocument) -> str:
        """Who will receive it, in the coach's words: an N+1, a participant, the group."""
        if document.for_sponsor is not None:
            return f"{document.for_sponsor} (N+1)"
        if document.participant is not None:
            engagement = self.aoi.unlocked.engagement(self.engagement_id).engagement()
            person = engagement.member(document.participant)
            return person.name if person else "?"
        return t("ui.export.the_group")

    def action_write(self) -> None:
        if self.export is None:
            return
        target = self.query_one("#path", Input).value.strip() or None
        write_and_say(self, self.engagement_id, self.export, target)


def listed_before_the_n1(document: GroupDocument, engagement: Engagement) -> bool:
    """Whether the export list names `document` while an N+1 is in the room: not
    the confidential file, and an N+1's report only where the group has one N+1
    (with several, the one in the room would read the others' names, and which
    one is there is not known). The recaps, as the engagement screen names them."""
    if document.audience is Audience.CONFIDENTIAL:
        return False
    return document.for_sponsor is None or len(sponsors(engagement)) == 1


def destination_words(store: Store, typed: str, default_name: str) -> str:
    """Where a document typed as `typed` goes, said before it is written (as
    `write_export` decides it): the path, from the home folder where it is in it."""
    if typed and is_this_terminal(typed):
        return t("ui.export.not_terminal")
    try:
        path = output_path(store, typed or None, default_name)
    except ExportPathError as exc:
        return t("ui.export.destination_refused", reason=str(exc))
    if path is None:  # standard output: the terminal (refused above, said the same)
        return t("ui.export.not_terminal")
    path = path.parent.resolve() / path.name  # `..` and linked folders followed
    with contextlib.suppress(RuntimeError, ValueError):  # no home folder known
        path = Path("~") / path.relative_to(Path.home())
    replaces = path.expanduser().is_file()
    key = "ui.export.destination_replaces" if replaces else "ui.export.destination"
    return t(key, path=shown(path))


def refusal_words(exc: Exception, audience: Audience, session: int | None) -> str:
    """Why nothing can be exported, said as the coach would: a group's refusals
    have their own words; the others say themselves."""
    if isinstance(exc, NoConsentYet):
        return t("ui.export.no_consent")
    if audience is Audience.RECAP and session is None:
        return t("ui.export.no_session")
    return str(exc)


def write_and_say(
    screen: AoiScreen[None],
    engagement_id: str,
    export: Export,
    target: str | None,
    *,
    close: bool = True,
) -> bool:
    """Write `export` to `target` (None: its default name here) and say how it went;
    the screen closes once the file has left, recorded or not (with `close`; a
    screen writing several files closes after the last). True: the file left."""
    if target is not None and is_this_terminal(target):
        # the screen is the terminal: the file would be drawn over and lost
        screen.notify(t("ui.export.not_terminal"), severity="error", timeout=10)
        return False
    try:
        path = write_export(screen.aoi.unlocked, engagement_id, export, target)
    except ExportNotRecorded as exc:  # the file left: said as it is, not as a failure to write
        screen.notify(str(exc), severity="error", timeout=15)
        if close:
            screen.app.pop_screen()
        return True
    except (StoreWriteError, OSError) as exc:
        screen.notify(t("ui.export.failed", reason=str(exc)), severity="error", timeout=10)
        return False
    screen.notify(t("export.written", path=str(path)), timeout=8)
    if close:
        screen.app.pop_screen()
    return True


def document_file(typed: str, default: str) -> str:
    """Where a screen writes a document of the coach's (the hours log, the
    calendar): a file only, the terminal being aoi's. Nothing typed, or any name
    of that terminal, is the document's default file name."""
    typed = typed.strip()
    return default if typed in ("", "/dev/stdout") or is_this_terminal(typed) else typed


def is_this_terminal(target: str) -> bool:
    """`-`, /dev/stdout, /dev/tty or any other name of the terminal aoi draws on."""
    if target == "-":
        return True
    try:
        found = os.stat(os.path.expanduser(target))
    except (OSError, RuntimeError, ValueError):
        return False
    if not stat.S_ISCHR(found.st_mode):
        return False
    for fd in (0, 1, 2):
        try:
            if os.path.samestat(found, os.fstat(fd)):
                return True
        except OSError:
            continue
    return os.path.realpath(os.path.expanduser(target)) == "/dev/tty"
