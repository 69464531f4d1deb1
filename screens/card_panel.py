"""The card beside a live session: a prompt of the coach's role of the moment
(mirror, spur, moderator, integrator) suited to the phase, in Markdown."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown, Static

from aoi_tui.config.i18n import t
from aoi_tui.domain.cards import Card, Deck
from aoi_tui.domain.models import Role


class CardPanel(Vertical):
    """The card for the current role and phase, drawn from `deck`."""

    def __init__(self, deck: Deck, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.deck = deck

    def compose(self) -> ComposeResult:
        yield Static(id="card-role")
        yield Static(id="card-title")
        yield Markdown(id="card-text")

    def draw(self, phase: str, role: Role) -> Card | None:
        """Another card of `role` for `phase` (none repeats while others fit), shown."""
        card = self.deck.draw(phase, role)
        self.show(role, card)
        return card

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
