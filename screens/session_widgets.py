"""The parts of the live session screen: the phase stepper, the card panel,
the line that says what the next note will be, and how a note is shown."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Markdown, OptionList, Static

from aoi_tui.config.i18n import language, t
from aoi_tui.domain.cards import Card
from aoi_tui.domain.models import Note, NoteKind, Role, Session, Visibility
from aoi_tui.domain.phases import phases_for
from aoi_tui.domain.text import clean
from aoi_tui.live.session_clock import current_index, format_duration, phase_times, session_elapsed

ROLES = list(Role)
QUICK_KINDS = [
    NoteKind.OBSERVATION,
    NoteKind.SUCCESS,
    NoteKind.DIFFICULTY,
    NoteKind.FEEDBACK,
    NoteKind.ACTION,
    NoteKind.REFLECTION,
]


def phase_label(session: Session, phase: str) -> str:
    for p in phases_for(session.kind.value):
        if p.id == phase:
            return p.label(language())
    return phase


NBSP = "\u00a0"
"""Between the words of a phase: it wraps whole, never in the middle of its name."""


class PhaseStepper(Static):
    """Phases with elapsed / target time; the running one marked in words and brackets.
    When the names do not fit on a line, the next phase keeps its name and the
    others show their number; a phase's name never breaks across lines."""

    def show(self, session: Session, now: datetime) -> None:
        width = (self.size.width or self.app.size.width) - 2  # its padding
        for names in ("all", "next", "current"):
            line = self._line(session, now, names)
            if line.cell_len <= width:
                break
        self.update(line)

    def _line(self, session: Session, now: datetime, names: str) -> Text:
        times = phase_times(session, now)
        current = current_index(session)
        line = Text()
        for i, pt in enumerate(times):
            if i:
                line.append(" › ", style="dim")
            label = f"{i + 1} {phase_label(session, pt.phase)}".replace(" ", NBSP)
            if i == current:
                line.append(
                    f"[{label}{NBSP}{format_duration(pt.elapsed)}/{pt.target.seconds // 60}′]",
                    style="bold reverse",
                )
                if pt.overrun:
                    line.append(" " + t("ui.phase.overrun"), style="bold underline")
                elif pt.over_target:
                    line.append(" " + t("ui.phase.over_target"), style="underline")
            else:
                done = pt.elapsed.total_seconds() > 0
                named = names == "all" or (names == "next" and i == current + 1)
                shown = label if named else str(i + 1)
                line.append(shown + (f"{NBSP}{format_duration(pt.elapsed)}" if done else ""))
        total = f"{t('ui.session.total')} {format_duration(session_elapsed(session, now))}"
        line.append("   " + total.replace(" ", NBSP))
        return line


class CardPanel(Vertical):
    """The card for the current role and phase, in Markdown."""

    def compose(self) -> ComposeResult:
        yield Static(id="card-role")
        yield Static(id="card-title")
        yield Markdown(id="card-text")

    def show(self, role: Role, card: Card | None) -> None:
        self.query_one("#card-role", Static).update(
            Text.assemble(
                (t(f"role.{role.value}"), "bold reverse"), " ", (t("ui.card.keys"), "dim")
            )
        )
        if card is None:
            self.query_one("#card-title", Static).update(t("ui.card.none"))
            self.query_one("#card-text", Markdown).update("")
            return
        mine = f" · {t('ui.card.own')}" if card.own else ""
        self.query_one("#card-title", Static).update(Text(card.title + mine, style="italic"))
        self.query_one("#card-text", Markdown).update(card.text)


class NotesList(OptionList):
    """The session's notes. Its keys are bindings with ids, so the palette lists
    them and the settings can remap them; the screen runs them."""

    BINDINGS = [
        Binding("enter", "screen.note_edit", t("ui.key.note_edit"), id="session.note_edit"),
        Binding("space", "screen.note_share", t("ui.key.note_share"), id="session.note_share"),
        Binding("k", "screen.note_kind", t("ui.key.note_kind"), id="session.note_kind"),
        Binding("r", "screen.note_role", t("ui.key.note_role"), id="session.note_role"),
        Binding(
            "x,delete", "screen.note_delete", t("ui.key.note_delete"), id="session.note_delete"
        ),
        Binding("u,ctrl+z", "screen.note_undo", t("ui.key.note_undo"), id="session.note_undo"),
    ]


def next_note_line(kind: NoteKind, visibility: Visibility, role: Role | None) -> Text:
    """What the next note will be, in words (never colour alone)."""
    line = Text(t("ui.next_note") + " ")
    if visibility is Visibility.SHAREABLE:
        line.append(t("ui.vis.SHAREABLE"), style="bold reverse")
    else:
        line.append(t("ui.vis.PRIVATE"), style="bold")
    line.append(f" · {t(f'kind.{kind.value}')}")
    line.append(f" · {t('ui.tag')}: {t(f'role.{role.value}') if role else t('ui.untagged')}")
    return line


def shortened(label: str, room: int) -> str:
    """`label` in `room` characters, cut after a whole word ("Field work…")."""
    if len(label) <= room:
        return label
    cut = label[: room - 1].rsplit(" ", 1)[0] if " " in label[: room - 1] else label[: room - 1]
    return cut.rstrip(" (–-—,") + "…"


def note_line(note: Note, state: str, session: Session) -> Text:
    """One note in the live list: save state, visibility, kind, role, text."""
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
    line.append(f" {shortened(phase_label(session, note.phase), 12)}: ", style="dim")
    line.append(clean(note.text))  # shown as text, never as markup
    return line
