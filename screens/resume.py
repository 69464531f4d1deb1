"""At start: a session was running when aoi stopped (crash, dropped link): resume it?"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from aoi_tui.i18n import language, t


class ResumeScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("enter,y,o", "answer(True)", t("ui.key.resume"), id="resume.yes"),
        Binding("escape,n", "answer(False)", t("ui.key.later"), id="resume.no"),
    ]

    def __init__(self, coachee: str) -> None:
        super().__init__()
        self.coachee = coachee

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("ui.resume.title"), classes="dialog-title")
            yield Static(Text(t("ui.resume.question", coachee=self.coachee)))
        yield Footer(compact=True)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question that names what will happen."""

    BINDINGS = [
        # the footer shows the first key: o(ui) in French, y(es) in English; both work
        Binding(
            "o,y" if language() == "fr" else "y,o",
            "answer(True)",
            t("ui.key.yes"),
            id="confirm.yes",
        ),
        Binding("escape,n", "answer(False)", t("ui.key.no"), id="confirm.no"),
    ]

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self.title_text = title
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(Text(self.question))
        yield Footer(compact=True)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
