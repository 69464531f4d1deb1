"""End of session: the balance of the coach's four roles (notes and cards per
role), for the coach's own reflection."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static

from aoi_tui.config.i18n import plural, t
from aoi_tui.domain.models import Note, Role, Session
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.base import AoiScreen, group_safe_binding

BAR = 24


def balance_text(session: Session, notes: list[Note]) -> Text:
    counts = {r: sum(1 for n in notes if n.role is r) for r in Role}
    cards = {r: session.cards_drawn.get(r, 0) for r in Role}
    top = max([*counts.values(), *cards.values(), 1])
    text = Text(t("ui.balance.header") + "\n\n", style="bold")
    for r in Role:
        label = f"{t(f'role.{r.value}'):<12}"
        text.append(label)
        text.append("█" * round(BAR * counts[r] / top) or "·")
        text.append(f" {plural('ui.balance.notes', counts[r])}\n")
        text.append(" " * 12)
        text.append("░" * round(BAR * cards[r] / top) or "·")
        text.append(f" {plural('ui.balance.cards', cards[r])}\n")
    untagged = sum(1 for n in notes if n.role is None)
    text.append("\n" + plural("ui.balance.untagged", untagged))
    return text


class RoleBalanceScreen(AoiScreen[None]):
    BINDINGS = [
        Binding("enter,escape", "app.pop_screen", t("ui.key.done"), id="balance.done"),
        Binding("a", "plan", t("ui.agenda.plan_next"), id="balance.plan"),
        # the group may still be in the room as the session ends: ctrl+b, it leaves
        group_safe_binding("balance"),
    ]

    def __init__(self, session: Session, notes: list[Note], plan_for: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.notes = notes
        self.plan_for = plan_for
        """The engagement whose next session is then proposed at the cadence (issue 15)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.plan_for is not None if action == "plan" else True

    def in_a_group(self) -> bool:
        return self.session.collective

    def action_plan(self) -> None:
        """The next session, proposed at the agreed cadence."""
        from aoi_tui.screens.planning import PlanningScreen

        if self.plan_for is not None:
            self.app.switch_screen(PlanningScreen(self.plan_for))

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="dialog"):
            yield Static(t("ui.balance.title"), classes="dialog-title")
            yield Static(id="balance")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.room_changed(self.aoi.room)  # AoiScreen follows the room from now on

    def room_changed(self, room: Room) -> None:
        # it counts private notes too: for the coach alone, never the N+1 or the group
        shown = balance_text(self.session, self.notes) if room is Room.COACH else None
        self.query_one("#balance", Static).update(shown or Text(t("ui.balance.covered")))
