"""The session's notes, oldest first, each wrapped whole, with a cursor: the
coach edits, shares, re-tags, deletes and restores them from the keyboard.

Drawn with Textual's line API and a cache per note (as `engagement_list.py`
draws the first screen): a note is measured (its height at this width) and
drawn (its lines) once, and again only when it changes: saved, its state
(saving… → saved), an edit. An OptionList measured every note again at each
such change, so the input froze after Enter for 0.5 s in a session of 2,000
notes; here a change costs the same at 10 notes as at 2,000. The list owns
its notes and their save states; the screen writes what it is asked to
(`Save`, `Delete`) and says back how the write went (`set_state`)."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, cast

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual, visualize

from aoi_tui.config.i18n import t
from aoi_tui.domain.cycle import next_in
from aoi_tui.domain.models import (
    Engagement,
    Note,
    NoteKind,
    Role,
    Session,
    SessionKind,
    Visibility,
)
from aoi_tui.domain.text import clean
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.group_room import (
    masked,
    short_names,
    shown,
    whom_edited,
    whom_in_short,
)
from aoi_tui.screens.live_run import NoteSaved, SessionTakenOver, WriteFailed
from aoi_tui.screens.note_input import QUICK_KINDS, about_line
from aoi_tui.screens.phase_stepper import phase_label

if TYPE_CHECKING:
    from textual.css.styles import RulesMap

SaveState = Literal["saving", "saved", "failed"]
"""A note's way to the disk: queued, written, or refused (its text kept here)."""

ROLE_CYCLE: list[Role | None] = [None, *Role]
"""`r` on a note: untagged, then each role in turn."""


def shortened(label: str, room: int) -> str:
    """`label` in `room` characters, cut after a whole word ("Field work…")."""
    if len(label) <= room:
        return label
    cut = label[: room - 1].rsplit(" ", 1)[0] if " " in label[: room - 1] else label[: room - 1]
    return cut.rstrip(" (–-—,") + "…"


def line_start(note: Note, state: SaveState, phase: str, whom: str = "") -> Text:
    """A note's line up to its text: save state, visibility, kind, role, whom it
    concerns in a group (`whom`: "group", a short name; `group_room.whom_in_short`),
    phase. `phase` is the name of the note's phase."""
    line = Text()
    if state == "saving":
        line.append(t("ui.note.saving") + " ", style="italic")
    elif state == "failed":
        line.append(t("ui.note.failed") + " ", style="bold reverse")
    if note.shared:
        line.append(t("ui.vis.VALIDATED"), style="bold")
    elif note.visibility is Visibility.SHAREABLE:
        line.append(t("ui.vis.shareable"), style="bold")
    else:
        line.append(t("ui.vis.private"))
    line.append(f" {t(f'kind.{note.kind.value}')}")
    if note.role:
        line.append(f" [{t(f'role.{note.role.value}')}]")
    if whom:
        line.append(f" @{whom}", style="bold")
    line.append(f" {shortened(phase, 12)}{t('ui.sep.colon')}", style="dim")
    return line


def note_line(note: Note, state: SaveState, phase: str, whom: str = "") -> Text:
    """One note in the list: `line_start`, then its text (as text, never markup)."""
    return line_start(note, state, phase, whom).append(clean(note.text))


@dataclass
class Row:
    """One note as the list shows it, with what it cost to show: its length, its
    words, its height at the list's width, its lines in each style drawn."""

    note: Note
    state: SaveState
    extent: int = 0
    """The line's length in cells; 0: not measured yet."""
    folds: bool = False
    """Its text holds a line break or a tab: only wrapping it tells its height."""
    visual: Visual | None = None
    height: int = 0
    """At `NotesList.measured_width`; 0: not known yet."""
    strips: dict[Style, list[Strip]] = field(default_factory=dict)

    def changed(self) -> None:
        """Its words changed: measured and drawn again when next needed."""
        self.extent = self.height = 0
        self.visual = None
        self.strips.clear()


class NotesList(ScrollView, can_focus=True):
    """The session's notes. Its keys are bindings with ids: the palette lists
    them and the settings may remap them."""

    COMPONENT_CLASSES = {"notes-list--note", "notes-list--cursor", "notes-list--hover"}

    BINDINGS = [
        Binding("enter", "edit", t("ui.key.note_edit"), id="session.note_edit"),
        Binding("space", "share", t("ui.key.note_share"), id="session.note_share"),
        Binding("k", "kind", t("ui.key.note_kind"), id="session.note_kind"),
        Binding("r", "role", t("ui.key.note_role"), id="session.note_role"),
        Binding("x,delete", "delete", t("ui.key.note_delete"), id="session.note_delete"),
        Binding("u,ctrl+z", "undo", t("ui.key.note_undo"), id="session.note_undo"),
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
    ]

    highlighted: reactive[int | None] = reactive(None, always_update=True)
    """The note under the cursor, among those shown; None when none is shown."""

    class Write(Message):
        """The coach changed a note in the list: write it. `how`: "update"; "insert"
        for a note not in the store (its first save failed, an undone delete);
        "delete" for a note deleted that is in the store."""

        def __init__(self, note: Note, how: Literal["insert", "update", "delete"]) -> None:
            super().__init__()
            self.note = note
            self.how = how

    def __init__(
        self, session_kind: SessionKind, *, id: str | None = None, session: Session | None = None
    ) -> None:
        super().__init__(id=id)
        self.session_kind = session_kind
        self.session = session
        """The session listed (a peer session's case-bringer: whom an edit concerns)."""
        self.notes: list[Note] = []
        """Every note of the session, oldest first (shown or not)."""
        self.states: dict[str, SaveState] = {}
        """Note id: its save state."""
        self.deleted: list[Note] = []
        """Deleted in this visit, the last last: `u` brings them back."""
        self.read_only = False
        """The session was taken over by another aoi: nothing changes here any more."""
        self.rule: Callable[[Note], bool] | None = None
        """Which notes are shown (the N+1 in the room: what reaches the N+1); None: all."""
        self.engagement: Engagement | None = None
        """The engagement as the room was last set (a group's: whom an edit concerns)."""
        self.room = Room.COACH
        """Who is in the room, as last set: only the coach's view names people."""
        self._people: tuple[tuple[str, str], ...] = ()
        """A group's participants (id, name) as the room was last set."""
        self._short: dict[str, str] = {}
        """A group's participants' short names (`group_room.short_names`)."""
        self._whom: dict[tuple[tuple[str, ...], Room], str] = {}
        """Whom a note concerns in words, by its `about` and the room."""
        self.rows: list[Row] = []
        """The notes shown, in order."""
        self._row_of: dict[str, Row] = {}
        """Every note's row, shown or not: its cache survives a change of the room."""
        self._tops: list[int] = []
        """The first line of each shown row, valid for `rows[: len(_tops)]`."""
        self.measured_width = 0
        self._hover: int | None = None
        self._phases: dict[str, str] = {}
        self._starts: dict[tuple[object, ...], int] = {}
        """The length of a line's start, by what makes it (state, visibility, kind...)."""
        self.measured = 0
        """Rows measured since the list was made (a test counts them)."""
        self.drawn = 0
        """Rows drawn (their lines made, not taken from the cache) since the list was made."""

    # -- the notes ----------------------------------------------------------------------

    def set_notes(
        self,
        notes: Iterable[Note],
        states: Mapping[str, SaveState] | None = None,
        *,
        show: str | None = None,
    ) -> None:
        """All the notes anew (states: saved unless said), each measured again; the
        cursor stays at its place, or goes to the note `show`."""
        self.notes = list(notes)
        self.states = {n.id: (states or {}).get(n.id, "saved") for n in self.notes}
        self._row_of = {}
        self._shown_anew(show)

    def merge(self, stored: Iterable[Note]) -> None:
        """The notes as the store holds them now (the debrief may have shared,
        validated or edited some): a note unchanged keeps its row and its cache;
        a note that never reached the store (its save failed) stays, last."""
        failed = [n for n in self.notes if self.states.get(n.id) == "failed"]
        notes = []
        for note in stored:
            row = self._row_of.get(note.id)
            notes.append(row.note if row is not None and row.note == note else note)
        self.notes = notes + failed
        self.states = {n.id: self.states.get(n.id, "saved") for n in self.notes}
        self._row_of = {n.id: self._row_of[n.id] for n in self.notes if n.id in self._row_of}
        self._shown_anew(None)

    def for_room(self, room: Room, engagement: Engagement) -> None:
        """The notes whoever is in the room may see: with the N+1, only those the one
        allow-list lets reach the N+1 (as the report does); with a group, only the
        group's (`group_room.shown`)."""
        self.engagement, self.room = engagement, room
        people = tuple((p.id, p.name) for p in engagement.participants)
        if people != self._people:  # a name changed: each note says whom it concerns anew
            self._people, self._whom = people, {}
            self._short = {} if engagement.individual else short_names(engagement)
            for row in self._row_of.values():
                row.changed()
        self.show_only(None if room is Room.COACH else lambda n: shown(n, engagement, room))

    def show_only(self, rule: Callable[[Note], bool] | None) -> None:
        """Show the notes `rule` keeps (None: all); rows keep their cache."""
        self.rule = rule
        self._shown_anew(None)

    def add(self, note: Note, state: SaveState = "saving", *, select: bool = True) -> None:
        """A note just taken (or brought back): listed in time order; with `select`,
        under the cursor and in view. The rows before it are neither measured nor
        drawn again."""
        index = len(self.notes)
        while index and self.notes[index - 1].created_at > note.created_at:
            index -= 1
        self.notes.insert(index, note)
        self.states[note.id] = state
        if self.rule is not None and not self.rule(note):
            return
        row = self._row(note)
        rows = self.rows
        if not rows or rows[-1].note.created_at <= note.created_at:
            rows.append(row)  # the newest: the usual case
            shown = len(rows) - 1
        else:
            shown = bisect.bisect_right([r.note.created_at for r in rows], note.created_at)
            rows.insert(shown, row)
            del self._tops[shown:]
        self._resized()
        # with `select` the cursor goes to it; without, it keeps its line (as a
        # deleted note's place goes to the next one)
        self.highlighted = shown if select or self.highlighted is None else self.highlighted

    def set_state(self, note_id: str | None, state: SaveState) -> None:
        """How a note's write went: its row alone is measured and drawn again."""
        if note_id not in self.states:
            return  # deleted meanwhile (or no note: a draft's write)
        self.states[note_id] = state
        self._row_changed(note_id)

    def changed(self, note: Note) -> None:
        """A note's words or tags changed (from outside the list): drawn again."""
        self._row_changed(note.id)

    def highlight(self, note_id: str) -> bool:
        """The cursor on that note, if it is shown."""
        for index, row in enumerate(self.rows):
            if row.note.id == note_id:
                self.highlighted = index
                return True
        return False

    @property
    def selected(self) -> Note | None:
        """The note under the cursor."""
        index = self.highlighted
        return self.rows[index].note if index is not None and index < len(self.rows) else None

    def texts(self) -> list[str]:
        """The notes shown, as the coach reads them."""
        return [self._line(row).plain for row in self.rows]

    # -- rows and lines -----------------------------------------------------------------

    def _row(self, note: Note) -> Row:
        row = self._row_of.get(note.id)
        if row is None or row.note is not note:
            row = self._row_of[note.id] = Row(note, self.states.get(note.id, "saved"))
        return row

    def _shown_anew(self, show: str | None) -> None:
        before = self.highlighted
        rule = self.rule
        self.rows = [self._row(n) for n in self.notes if rule is None or rule(n)]
        self._tops = []
        self._resized()
        if not self.rows:
            self.highlighted = None
            return
        last = len(self.rows) - 1
        if show is not None and self.highlight(show):
            return
        self.highlighted = min(last if before is None else before, last)

    def _row_changed(self, note_id: str) -> None:
        row = self._row_of.get(note_id)
        if row is None:
            return
        row.state = self.states[note_id]
        row.changed()
        shown = self._shown_index(row)
        keep = self.rule is None or self.rule(row.note)
        if shown is not None and not keep:  # no longer for the N+1's eyes
            del self.rows[shown]
            del self._tops[shown:]
            self._resized()
            self.highlighted = min(self.highlighted or 0, len(self.rows) - 1) if self.rows else None
            return
        if shown is None:
            return
        old_height = row.height
        self._measure(row)
        if row.height != old_height and old_height:
            del self._tops[shown + 1 :]
            self._resized()
        else:
            self._refresh_row(shown)
        self.highlighted = self.highlighted  # in view again, as after any change

    def _shown_index(self, row: Row) -> int | None:
        """Where `row` is among those shown; searched from the newest, the ones
        that change most (a note just taken, saving → saved)."""
        rows = self.rows
        for index in range(len(rows) - 1, -1, -1):
            if rows[index] is row:
                return index
        return None

    def _phase_name(self, phase: str) -> str:
        name = self._phases.get(phase)
        if name is None:
            name = self._phases[phase] = phase_label(self.session_kind, phase)
        return name

    def _whom_of(self, note: Note) -> str:
        """Whom a group's note concerns, in a few letters; nothing in an individual
        engagement (every note is the coachee's)."""
        engagement = self.engagement
        if engagement is None or engagement.individual:
            return ""
        key = (tuple(note.about), self.room)
        words = self._whom.get(key)
        if words is None:
            words = self._whom[key] = whom_in_short(note, engagement, self.room, self._short)
        return words

    def _line(self, row: Row) -> Text:
        note = row.note
        return note_line(note, row.state, self._phase_name(note.phase), self._whom_of(note))

    def _visual(self, row: Row) -> Visual:
        if row.visual is None:
            row.visual = visualize(self, self._line(row))
        return row.visual

    def _measure(self, row: Row) -> int:
        """The row's height at the width of now. Most notes fit on a line: their
        length tells it, without making or wrapping their line (at 2,000 notes,
        making them all took longer than the rest of opening the session)."""
        if not row.extent:
            note = row.note
            whom = self._whom_of(note)
            key = (row.state, note.shared, note.visibility, note.kind, note.role, note.phase, whom)
            start = self._starts.get(key)
            if start is None:
                phase = self._phase_name(note.phase)
                start = self._starts[key] = line_start(note, row.state, phase, whom).cell_len
            text = clean(note.text)
            row.folds = "\n" in text or "\t" in text
            row.extent = start + cell_len(text)
            self.measured += 1
        width = max(1, self.measured_width)
        if row.folds or row.extent > width:
            rules = cast("RulesMap", self.styles)
            row.height = max(1, self._visual(row).get_height(rules, width))
        else:
            row.height = 1
        return row.height

    def _top(self, index: int) -> int:
        """The first line of shown row `index` (rows before it measured if needed)."""
        tops = self._tops
        while len(tops) <= index:
            n = len(tops)
            if n == 0:
                tops.append(0)
                continue
            before = self.rows[n - 1]
            tops.append(tops[-1] + (before.height or self._measure(before)))
        return tops[index]

    def _height(self) -> int:
        if not self.rows:
            return 0
        last = self.rows[-1]
        return self._top(len(self.rows) - 1) + (last.height or self._measure(last))

    def _resized(self) -> None:
        """The rows or their heights changed: the scrollable size follows."""
        if self.measured_width:
            self.virtual_size = Size(self.measured_width, self._height())
        self.refresh()

    def _fit_width(self) -> None:
        """The width notes wrap at is the list's of now (a scrollbar takes two
        columns from it): at another width every note is measured again, once."""
        width = self.scrollable_content_region.width
        if width != self.measured_width and width > 0:
            self.measured_width = width
            for row in self._row_of.values():
                row.height = 0
                row.strips.clear()
            self._tops = []
            self._resized()

    def on_resize(self) -> None:
        self._fit_width()
        self.scroll_to_highlight()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._fit_width()  # a resize may be drawn before its event is handled
        return super().render_lines(crop)

    def _row_at(self, line: int) -> int | None:
        """The shown row holding `line` of the list, if any."""
        if not self.rows or line < 0 or line >= self._height():
            return None
        return bisect.bisect_right(self._tops, line) - 1

    def _style(self, index: int) -> Style:
        if index == self.highlighted:
            return self.get_visual_style("notes-list--note", "notes-list--cursor")
        if index == self._hover:
            return self.get_visual_style("notes-list--note", "notes-list--hover")
        return self.get_visual_style("notes-list--note")

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        index = self._row_at(line)
        if index is None:
            return Strip.blank(width, self.get_visual_style("notes-list--note").rich_style)
        row = self.rows[index]
        style = self._style(index)
        strips = row.strips.get(style)
        if strips is None:
            strips = row.strips[style] = self._draw(row, style, width)
        offset = line - self._tops[index]
        return strips[offset] if offset < len(strips) else Strip.blank(width, style.rich_style)

    def _draw(self, row: Row, style: Style, width: int) -> list[Strip]:
        self.drawn += 1
        strips = Visual.to_strips(self, self._visual(row), width, None, style)
        return [strip.extend_cell_length(width, style.rich_style) for strip in strips]

    def _refresh_row(self, index: int) -> None:
        if 0 <= index < len(self.rows) and self.measured_width:
            top = self._top(index)
            height = self.rows[index].height or self._measure(self.rows[index])
            self.refresh_lines(top, height)

    # -- the cursor ---------------------------------------------------------------------

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self.rows:
            return None
        return max(0, min(highlighted, len(self.rows) - 1))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        if old is not None and old != new:
            self._refresh_row(old)
        if new is not None:
            self._refresh_row(new)
        self.scroll_to_highlight()

    def scroll_to_highlight(self) -> None:
        """The note under the cursor in view (a long one from its first line)."""
        index = self.highlighted
        if index is None or not self.measured_width or not self.is_mounted:
            return
        row = self.rows[index]
        region = Region(0, self._top(index), self.measured_width, row.height or 1)
        self.scroll_to_region(region, force=True, animate=False, immediate=True)

    def on_focus(self) -> None:
        self._refresh_row(self.highlighted if self.highlighted is not None else -1)

    def on_blur(self) -> None:
        self._refresh_row(self.highlighted if self.highlighted is not None else -1)

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def action_cursor_up(self) -> None:
        if self.rows:
            self.highlighted = max(0, (self.highlighted or 0) - 1)

    def action_cursor_down(self) -> None:
        if self.rows:
            self.highlighted = 0 if self.highlighted is None else self.highlighted + 1

    def action_first(self) -> None:
        if self.rows:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.rows:
            self.highlighted = len(self.rows) - 1

    def _move_page(self, direction: int) -> None:
        if not self.rows:
            return
        index = self.highlighted or 0
        line = self._top(index) + direction * self.scrollable_content_region.height
        line = max(0, min(line, self._height() - 1))
        target = self._row_at(line)
        self.highlighted = index if target is None else target

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_page_down(self) -> None:
        self._move_page(1)

    def _index_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        return None if offset is None else self._row_at(self.scroll_offset.y + offset.y)

    def on_click(self, event: events.Click) -> None:
        index = self._index_at(event)
        if index is not None:
            self.highlighted = index

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._index_at(event)
        if index != self._hover:
            old, self._hover = self._hover, index
            for i in (old, index):
                if i is not None:
                    self._refresh_row(i)

    def on_leave(self) -> None:
        if self._hover is not None:
            old, self._hover = self._hover, None
            self._refresh_row(old)

    # -- how writes went (`live_run`) ----------------------------------------------------

    @on(NoteSaved)
    def _saved(self, message: NoteSaved) -> None:
        message.stop()
        self.set_state(message.note_id, "saved")

    @on(WriteFailed)
    def _failed(self, message: WriteFailed) -> None:
        """Said (a full disk, a read-only folder): the text stays, NOT SAVED."""
        message.stop()
        self.notify(t("ui.note.write_failed", reason=message.reason), severity="error", timeout=15)
        self.set_state(message.note_id, "failed")

    @on(SessionTakenOver)
    def _taken_over(self, message: SessionTakenOver) -> None:
        self.set_state(message.note_id, "failed")  # and the screen gives way

    # -- the coach's keys ---------------------------------------------------------------

    def _editable(self) -> Note | None:
        return None if self.read_only else self.selected

    def _save(self, note: Note) -> None:
        """Changed here: listed as saving, and asked to be written."""
        insert = self.states.get(note.id) == "failed"  # never stored: written whole
        self.set_state(note.id, "saving")
        self.post_message(self.Write(note, "insert" if insert else "update"))

    def action_edit(self) -> None:
        """Enter: a note that failed to save is tried again; another is edited."""
        from aoi_tui.screens.note_editor import NoteEditorScreen

        note = self._editable()
        if note is None:
            return
        if self.states.get(note.id) == "failed":
            self._save(note)
            return

        e = self.engagement
        group = e if e is not None and not e.individual else None

        def whom(words: str, room: Room) -> tuple[Text | None, bool]:
            """A group's note edited as the input takes one: an `@prefix` says whom
            it concerns now, and masks it in front of the group (`group_room`)."""
            assert group is not None
            about = whom_edited(words, note, group, self.session)
            return about_line(about), masked(room, about, words) or room is Room.SPONSOR

        def closed(result: tuple[str, bool] | None) -> None:
            if result is None or not result[1] or not result[0].strip():
                return
            text = clean(result[0]).strip()
            if group is not None:
                about = whom_edited(text, note, group, self.session)
                if about.problems:  # a person is never guessed: said, the words kept
                    hidden = self.app_room() is not Room.COACH
                    said = t("ui.about.problem_hidden") if hidden else about.problems[0]
                    self.notify(said, severity="error", timeout=10)
                    self.app.push_screen(editor(text), closed)
                    return
                if list(about.about) != note.about:  # someone else's to validate now
                    note.about, note.validations = list(about.about), []
            note.edit(text)  # clears a validation given for the old text
            self._save(note)
            if self.rule is not None:
                self.show_only(self.rule)  # about someone now: no longer for the room

        def editor(text: str) -> NoteEditorScreen:
            title = t("ui.editor.edit_title")
            return NoteEditorScreen(text, title, whom=None if group is None else whom)

        self.app.push_screen(editor(note.text), closed)

    def app_room(self) -> Room:
        room: Room = getattr(self.app, "room", Room.COACH)
        return room

    def action_share(self) -> None:
        """Space (and F4 from the list): shareable or private again."""
        note = self._editable()
        if note is not None:
            note.toggle_sharing()
            self._save(note)

    def action_kind(self) -> None:
        note = self._editable()
        if note is not None:
            kind = note.kind
            note.kind = next_in(QUICK_KINDS, kind) if kind in QUICK_KINDS else NoteKind.OBSERVATION
            self._save(note)

    def action_role(self) -> None:
        note = self._editable()
        if note is not None:
            note.role = next_in(ROLE_CYCLE, note.role)
            self._save(note)

    def action_delete(self) -> None:
        note = self._editable()
        if note is None:
            return
        state = self.states.pop(note.id, "saved")
        self.notes.remove(note)
        self.deleted.append(note)
        self._row_of.pop(note.id, None)
        if state != "failed":  # a note never stored has nothing to delete
            self.post_message(self.Write(note, "delete"))
        self._shown_anew(None)
        self.notify(t("ui.note.deleted"))

    def action_undo(self) -> None:
        if not self.deleted or self.read_only:
            return
        note = self.deleted.pop()
        self.add(note, "saving", select=False)
        self.post_message(self.Write(note, "insert"))
