"""Starting a group's session: who is there (a collective session takes the
attendance, everyone still in the group ticked by default), whose case it is in
a peer session, and with whom a one-to-one session is held. Keys only: arrows,
space to tick, Enter to go on, Escape to give up."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from aoi_tui.config.i18n import t
from aoi_tui.domain.models import Participant


def participant_label(p: Participant) -> str:
    return f"{p.name} ({p.function})" if p.function else p.name


class AttendanceList(SelectionList[str]):
    """Space ticks who is there; Enter says the list is right (not a tick)."""

    BINDINGS = [Binding("enter", "screen.done", t("ui.key.start"), id="attendance.done")]


class AttendanceScreen(ModalScreen[list[str] | None]):
    """Who came to a collective session: the participants' ids ticked (None: given up)."""

    BINDINGS = [Binding("escape", "cancel", t("ui.key.cancel"), id="attendance.cancel")]

    def __init__(self, participants: Sequence[Participant]) -> None:
        super().__init__()
        self.participants = [p for p in participants if p.withdrawn_on is None]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("ui.attendance.title"), classes="dialog-title")
            yield Static(t("ui.attendance.help"), classes="explain")
            yield AttendanceList(
                *[(participant_label(p), p.id, True) for p in self.participants], id="attendance"
            )
        yield Footer(compact=True)

    def action_done(self) -> None:
        present = list(self.query_one(AttendanceList).selected)
        if not present:
            self.notify(t("ui.attendance.nobody"), severity="warning")
            return
        # in the participants' order, whatever the order they were ticked in
        self.dismiss([p.id for p in self.participants if p.id in present])

    def action_cancel(self) -> None:
        self.dismiss(None)


class PersonScreen(ModalScreen[str | None]):
    """One participant, chosen from a list (a case's bringer, a one-to-one's
    participant): their id, or None. `refused` says why someone listed cannot be
    chosen (None: they can); the list stays, with the reason said."""

    BINDINGS = [Binding("escape", "cancel", t("ui.key.cancel"), id="person.cancel")]

    def __init__(
        self,
        title: str,
        participants: Sequence[Participant],
        refused: Callable[[Participant], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.participants = list(participants)
        self.refused = refused

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield OptionList(
                *[Option(participant_label(p), id=p.id) for p in self.participants], id="people"
            )
        yield Footer(compact=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = next(p for p in self.participants if p.id == event.option.id)
        why = self.refused(chosen) if self.refused else None
        if why:
            self.notify(why, severity="warning", timeout=10)
            return
        self.dismiss(chosen.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


__all__ = ["AttendanceScreen", "PersonScreen", "participant_label"]
