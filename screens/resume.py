"""At start: a session was running when aoi stopped (crash, dropped link): resume it?
Or another aoi still runs it (another window, a frozen SSH link): take it over?"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from aoi_tui.config.i18n import language, t
from aoi_tui.live.live_session import Holder, other_holder

if TYPE_CHECKING:
    from aoi_tui.screens.app import AoiApp


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


class TakeOverScreen(ResumeScreen):
    """The session is open in another aoi that still runs: taking it over stops that
    one from saving (it says so on its screen), so the question says exactly that."""

    BINDINGS = [
        Binding("enter,y,o", "answer(True)", t("ui.key.take_over"), id="take_over.yes"),
        Binding("escape,n", "answer(False)", t("ui.key.leave_it"), id="take_over.no"),
    ]

    def __init__(self, coachee: str, holder: Holder) -> None:
        super().__init__(coachee)
        self.holder = holder

    def compose(self) -> ComposeResult:
        holder = self.holder
        try:
            since = datetime.fromisoformat(holder.since).strftime("%H:%M")
        except ValueError:
            since = "?"
        where = "here" if holder.here else "elsewhere"
        question = t(
            f"ui.take_over.question_{where}",
            coachee=self.coachee,
            pid=holder.pid,
            host=holder.host,
            since=since,
        )
        with Vertical(classes="dialog"):
            yield Static(t("ui.take_over.title"), classes="dialog-title")
            yield Static(Text(question))
        yield Footer(compact=True)


def resume_or_take_over(
    app: AoiApp, engagement_id: str, coachee: str, resume: Callable[[], None]
) -> None:
    """Resume the live session now, unless another aoi still runs it: then ask first,
    in those words, and resume (taking it over) only on yes."""
    holder = other_holder(app.unlocked.root, engagement_id)
    if holder is None:
        resume()
        return
    app.push_screen(TakeOverScreen(coachee, holder), lambda yes: resume() if yes else None)


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
