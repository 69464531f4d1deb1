"""The note being typed in a live session: its words in the input, and on the
line above what it will be when Enter takes it (private or shareable, its
kind, the role it is tagged with). F3, F4, F7 and ctrl+t change those; the
line follows by itself (reactives and their watchers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static

from aoi_tui.config.i18n import t
from aoi_tui.domain.cycle import next_in
from aoi_tui.domain.models import NoteKind, Role, Visibility, note_too_long
from aoi_tui.domain.text import clean
from aoi_tui.domain.vocabulary import Room
from aoi_tui.live.live_session import Draft
from aoi_tui.screens.group_room import Whom, masked, names
from aoi_tui.screens.note_editor import NoteEditorScreen

QUICK_KINDS = [
    NoteKind.OBSERVATION,
    NoteKind.SUCCESS,
    NoteKind.DIFFICULTY,
    NoteKind.FEEDBACK,
    NoteKind.ACTION,
    NoteKind.REFLECTION,
]
"""The kinds F3 (and `k` on a note in the list) steps through."""


def next_note_line(kind: NoteKind, visibility: Visibility, role: Role | None) -> Text:
    """What the next note will be, in words (never colour alone)."""
    line = Text(t("ui.next_note") + " ")
    if visibility is Visibility.SHAREABLE:
        line.append(t("ui.vis.SHAREABLE"), style="bold reverse")
    else:
        line.append(t("ui.vis.PRIVATE"), style="bold")
    line.append(f" · {t(f'kind.{kind.value}')}")
    line.append(
        f" · {t('ui.tag')}{t('ui.sep.colon')}{t(f'role.{role.value}') if role else t('ui.untagged')}"
    )
    return line


def about_line(about: Whom) -> Text:
    """Whom the next note of a group concerns, in words, before Enter: the group,
    the people named, or what is wrong with an `@prefix`; a group note naming a
    participant is flagged."""
    if about.problems:
        return Text(about.problems[0], style="bold reverse")
    if about.group:
        line = Text(t("ui.about.group"), style="bold")
        if about.named:
            line.append(" — ")
            line.append(t("ui.about.names", names=names(about.named)), style="reverse")
        return line
    if about.people:
        return Text(t("ui.about.people", names=names(about.people)), style="bold")
    return Text(t("ui.about.nobody"), style="bold reverse")


class NoteInput(Input):
    """The note input. Textual's Input keeps only the first line of a paste: a
    paste of several lines goes to the long-note editor instead, so no word is lost."""

    class MultilinePaste(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def _on_paste(self, event: events.Paste) -> None:
        if "\n" in event.text.strip("\r\n") or "\r" in event.text.strip("\r\n"):
            event.stop()
            event.prevent_default()
            self.post_message(self.MultilinePaste(self.value + event.text))
        # else: Textual then runs Input's own handler (prevent_default stops it above)


@dataclass(frozen=True)
class Words:
    """The next note as it stands: its words and what it will be."""

    text: str
    kind: NoteKind
    visibility: Visibility
    role: Role | None
    """The role it is tagged with, if any."""
    about: tuple[str, ...] = ()
    """Whom it concerns (a group's note: [GROUP] or participants' ids; else empty)."""
    chosen: tuple[str, ...] | None = None
    """Whom the coach chose with one key (ctrl+r), kept in the draft: a resume
    brings the choice back with the words. None: the session's default."""


class NextNote(Vertical):
    """The next note: the line saying what it will be, and the input (or, for a
    long note, the editor). It says each change (`Drafted`, kept as a draft) and
    each note taken (`Taken`), in the order they happen."""

    kind: reactive[NoteKind] = reactive(NoteKind.OBSERVATION, init=False)
    visibility: reactive[Visibility] = reactive(Visibility.PRIVATE, init=False)
    role: reactive[Role] = reactive(Role.MIRROR, init=False)
    """The coach's role of the moment (F7); the note is tagged with it when `tagged`."""
    tagged: reactive[bool] = reactive(True, init=False)
    masked: reactive[bool] = reactive(False, init=False)
    """The N+1 is in the room: the words are masked (still typed, and kept), the
    line leaves the screen, and no editor opens."""
    read_only: reactive[bool] = reactive(False, init=False)
    """The session was taken over by another aoi: the words stay, nothing is taken."""
    room: reactive[Room] = reactive(Room.COACH, init=False)
    """Who is in the room; with the group, a note about a person is masked as typed."""
    chosen: reactive[tuple[str, ...] | None] = reactive(None, init=False)
    """Whom the coach chose with one key (ctrl+r); None: the session's default."""

    class Drafted(Message):
        """The next note changed (its words, or what it will be): keep it as a draft."""

        def __init__(self, words: Words) -> None:
            super().__init__()
            self.words = words

    class Taken(Message):
        """Enter, or the long-note editor's save: a note to save."""

        def __init__(self, words: Words) -> None:
            super().__init__()
            self.words = words

    def __init__(
        self,
        *,
        id: str | None = None,
        whom: Callable[[str, tuple[str, ...] | None], Whom] | None = None,
    ) -> None:
        super().__init__(id=id)
        self.whom = whom
        """A group's session: whom a text concerns (`group_room.whom`); None: an individual one."""
        self.about = Whom()
        """Whom the words in the input concern, as last worked out."""
        self.about_shown = Static(id="next-about")
        self.line = Static(id="next-note")
        # select_on_focus off: a restored draft (or the text left when a dialog closes)
        # is selected on focus otherwise, and the next key typed replaces it all
        self.input = NoteInput(
            placeholder=t("ui.note.placeholder"), id="note-input", select_on_focus=False
        )

    def compose(self) -> ComposeResult:
        yield self.line
        if self.whom is not None:
            yield self.about_shown
        yield self.input

    def on_mount(self) -> None:
        self._show_line()
        self.rework_about()  # a group's: whom the first note concerns, before any key

    @property
    def text(self) -> str:
        return self.input.value

    @property
    def tag(self) -> Role | None:
        """The role the next note is tagged with, if any."""
        return self.role if self.tagged else None

    def words(self, text: str | None = None) -> Words:
        """The next note with its words (or `text`)."""
        words = self.text if text is None else text
        return Words(words, self.kind, self.visibility, self.tag, self.about.about, self.chosen)

    # -- what the next note will be ----------------------------------------------------

    def next_kind(self) -> None:
        self.kind = next_in(QUICK_KINDS, self.kind)

    def toggle_visibility(self) -> None:
        shareable = self.visibility is Visibility.SHAREABLE
        self.visibility = Visibility.PRIVATE if shareable else Visibility.SHAREABLE

    def next_role(self) -> None:
        self.role = next_in(list(Role), self.role)
        self.tagged = True

    def toggle_tag(self) -> None:
        self.tagged = not self.tagged

    def choose(self, options: list[list[str]]) -> None:
        """One key: from whom the note concerns now, the next of the group and each
        participant, round; an `@prefix` typed in the note still comes first."""
        keys = [tuple(o) for o in options]
        now = self.chosen if self.chosen is not None else self.about.about
        at = keys.index(now) + 1 if now in keys else 0
        self.chosen = keys[at % len(keys)]

    def _line(self) -> Text:
        return next_note_line(self.kind, self.visibility, self.tag)

    def _show_line(self) -> None:
        # one line high (app.tcss): the screen is not laid out again at each Enter
        self.line.update(self._line(), layout=False)

    def rework_about(self, text: str | None = None) -> None:
        """Whom the words concern, worked out again: said on the line above the
        input, and the input masked while the group may not see it."""
        if self.whom is None:
            return
        words = self.text if text is None else text
        self.about = self.whom(words, self.chosen)
        hidden = masked(self.room, self.about, words) or self.masked
        self.input.password = hidden
        self.about_shown.display = not hidden and not self.read_only
        if self.about_shown.display:
            self.about_shown.update(about_line(self.about), layout=False)

    def _changed(self) -> None:
        self._show_line()
        self.post_message(self.Drafted(self.words()))

    def watch_kind(self) -> None:
        self._changed()

    def watch_visibility(self) -> None:
        self._changed()

    def watch_role(self) -> None:
        self._changed()

    def watch_tagged(self) -> None:
        self._changed()

    def watch_room(self) -> None:
        self.rework_about()

    def watch_chosen(self) -> None:
        self.rework_about()
        self._changed()

    def watch_masked(self, masked: bool) -> None:
        self.input.password = masked
        self.input.placeholder = t("ui.note.placeholder_safe" if masked else "ui.note.placeholder")
        self.line.display = not masked and not self.read_only
        self.rework_about()

    def watch_read_only(self, read_only: bool) -> None:
        self.input.disabled = read_only  # its words stay on screen
        self.line.display = not self.masked and not read_only
        self.rework_about()

    # -- its words ---------------------------------------------------------------------

    @on(Input.Changed, "#note-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        cleaned = clean(event.value)
        if cleaned != event.value:  # pasted control sequences never reach the store
            event.input.value = cleaned
        else:
            self.rework_about(cleaned)
            self.post_message(self.Drafted(self.words(cleaned)))

    @on(Input.Submitted, "#note-input")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        text = clean(event.value).strip()
        if not text or self.read_only:
            return
        too_long = note_too_long(text)
        if too_long:  # said, and the text stays in the input
            self.notify(too_long, severity="error", timeout=10)
            return
        self.rework_about(text)
        if self.about.problems:  # a person is never guessed: said, the text stays
            # with the group in the room, without the names it might be about
            said = t("ui.about.problem_hidden") if self._hidden() else self.about.problems[0]
            self.notify(said, severity="error", timeout=10)
            return
        if self.about.named and not self._hidden():
            self.notify(t("ui.about.flagged", names=names(self.about.named, 15)), timeout=6)
        self._take(text)

    def problems(self, text: str) -> str | None:
        """What is wrong with an `@prefix` in `text`, if anything."""
        self.rework_about(text)
        return self.about.problems[0] if self.about.problems else None

    def _hidden(self) -> bool:
        return self.input.password

    def _take(self, text: str) -> None:
        """`text` taken as a note; the input empties and the next note starts fresh:
        private, an observation, tagged again with the role of the moment. Then
        the draft, empty, after the note."""
        self.rework_about(text)
        self.post_message(self.Taken(self.words(text)))
        self.input.value = ""
        self.set_reactive(NextNote.visibility, Visibility.PRIVATE)
        self.set_reactive(NextNote.kind, NoteKind.OBSERVATION)
        self.set_reactive(NextNote.tagged, True)
        self.set_reactive(NextNote.chosen, None)
        self.rework_about("")
        self._changed()

    def restore(self, draft: Draft, options: list[list[str]] | None = None) -> None:
        """A draft found at resume: its words (a long note in the editor) and what it
        was to be, whom it concerns included (a choice still among `options`, the
        group and each participant still in it); said. Set without a word of it
        being saved again before it is all back: a draft saved half-restored (the
        kind, but not yet the words) would lose the words at the next crash."""
        self.set_reactive(NextNote.kind, NoteKind(draft.kind))
        self.set_reactive(NextNote.visibility, Visibility(draft.visibility))
        if draft.role:
            self.set_reactive(NextNote.role, Role(draft.role))
        self.set_reactive(NextNote.tagged, draft.role is not None)
        chosen = draft.chosen
        if chosen is not None and options is not None and chosen in options:
            self.set_reactive(NextNote.chosen, tuple(chosen))
        self._show_line()
        if "\n" in draft.text:
            self.rework_about(draft.text)
            self.app.call_later(self.open_editor, draft.text)
        else:
            self.input.value = draft.text  # worked out again as it changes
            self.rework_about(draft.text)
        resumed = "ui.session.resumed" if draft.text.strip() else "ui.session.resumed_empty"
        self.notify(t(resumed), timeout=3)

    def keep_lines(self, text: str, *, cursor_to_end: bool = False) -> None:
        """Several lines kept in the one-line input, joined (" / ")."""
        self.input.value = " / ".join(line for line in text.splitlines() if line.strip())
        if cursor_to_end:
            self.input.cursor_position = len(self.input.value)

    @on(NoteInput.MultilinePaste)
    def _pasted(self, event: NoteInput.MultilinePaste) -> None:
        text = clean(event.text)
        self.rework_about(text)
        # no editor in view of the N+1, nor of the group for a note about a person:
        # kept, masked, in the input
        if self.masked or self._hidden():
            self.keep_lines(text, cursor_to_end=True)
        else:
            self.input.value = ""
            self.open_editor(clean(event.text))

    def open_editor(self, text: str | None = None) -> None:
        """The long-note editor (ctrl+o), from the words typed or `text`; its save
        takes the note, Escape gives its lines back to the input. In a group's
        session it works as the input does: whom the note concerns said as it is
        typed (`@prefix`, or the one chosen), the text masked while the group may
        not read it, an `@` that names no one (or several) refused at the save."""
        start = self.text if text is None else text
        self.rework_about(start)
        if self.masked or self._hidden():
            # no editor in view of the N+1, nor of the group for a note about a
            # person: the draft stays off the screen, kept (masked) in the input
            if text is not None:
                self.keep_lines(text, cursor_to_end=True)
            return

        def changed(words: str) -> None:
            self.rework_about(words)
            self.post_message(self.Drafted(self.words(words)))

        def whom(words: str, room: Room) -> tuple[Text | None, bool]:
            about = self.about if self.whom is None else self.whom(words, self.chosen)
            hidden = masked(room, about, words) or room is Room.SPONSOR
            return (None if self.whom is None else about_line(about)), hidden

        def closed(result: tuple[str, bool] | None) -> None:
            if result is not None and result[1] and result[0].strip():
                words = clean(result[0]).strip()
                if (problem := self.problems(words)) is not None:
                    self.keep_lines(result[0])
                    # with the group in the room, without the names it might be about
                    said = t("ui.about.problem_hidden") if self._hidden() else problem
                    self.notify(said, severity="error", timeout=10)
                    return
                if self.about.named and not self._hidden():
                    self.notify(t("ui.about.flagged", names=names(self.about.named, 15)), timeout=6)
                self._take(words)
            elif result is not None:
                self.keep_lines(result[0])

        editor = NoteEditorScreen(
            start,
            t("ui.editor.title"),
            on_change=changed,
            whom=None if self.whom is None else whom,
        )
        self.app.push_screen(editor, closed)
