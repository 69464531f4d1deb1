"""The card beside a live session: a prompt of the coach's role of the moment
(mirror, spur, moderator, integrator) suited to the phase, in Markdown."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown, Static

from aoi_tui.config.i18n import language, t
from aoi_tui.domain.cards import Card, CardFileError, Deck, load_deck
from aoi_tui.domain.models import Role


class CardPanel(Vertical):
    """The card for the current role and phase, drawn from `deck` (by default the
    cards of the coach's language and the coach's own, `cards.toml`)."""

    def __init__(
        self, deck: Deck | None = None, *, form: str | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.form = form
        """Who is accompanied (individual, team, peers): a peer group sees no team's card."""
        self.problem: str | None = None
        """What is wrong with the coach's own cards, said at mount (no card then)."""
        if deck is None:
            try:
                deck = load_deck(language())
            except CardFileError as exc:
                deck, self.problem = Deck([]), str(exc)
        self.deck = deck

    def on_mount(self) -> None:
        if self.problem:
            self.notify(self.problem, severity="error", timeout=10)

    def compose(self) -> ComposeResult:
        yield Static(id="card-role")
        yield Static(id="card-title")
        yield Markdown(id="card-text")

    def draw(self, phase: str, role: Role) -> Card | None:
        """Another card of `role` for `phase` (none repeats while others fit), shown."""
        card = self.deck.draw(phase, role, self.form)
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
