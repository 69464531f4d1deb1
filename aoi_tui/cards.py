"""Prompt cards for the coach's four roles: the decks shipped in
`data/cards/{fr,en}.toml`, plus the coach's own cards in the config folder
(`cards.toml`, same format; cards are not personal data).

A coach's card file:

    [[card]]
    id = "my-01"                 # unique; reuse a shipped id to replace that card
    role = "spur"                # mirror | spur | moderator | integrator
    phases = ["debrief"]         # phase ids (see data/phases.toml)
    plane = "team"               # optional: peers | organisation | team
    title = "A short title"
    text = "Markdown text"
    lang = "fr"                  # optional: only in this language
"""

from __future__ import annotations

import os
import random
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from aoi_tui.locations import config_dir
from aoi_tui.models import Role

PLANES = ("peers", "organisation", "team")
USER_CARDS = "cards.toml"
SEED_ENV = "AOI_CARD_SEED"
"""An integer that makes the draws repeatable (tests and snapshots); unset, they are random."""


class CardFileError(Exception):
    """The coach's card file has a mistake; the message says where."""


@dataclass(frozen=True)
class Card:
    id: str
    role: Role
    phases: tuple[str, ...]
    title: str
    text: str
    plane: str | None = None
    own: bool = False  # one of the coach's own cards


def _parse(raw: dict[str, Any], source: str, own: bool) -> list[Card]:
    cards = []
    for i, item in enumerate(raw.get("card", []), start=1):
        where = f"{source}, card {i}"
        try:
            role = Role(item["role"])
            phases = tuple(str(p) for p in item["phases"])
            card = Card(
                id=str(item["id"]),
                role=role,
                phases=phases,
                title=str(item["title"]).strip(),
                text=str(item["text"]).strip(),
                plane=item.get("plane"),
                own=own,
            )
        except KeyError as exc:
            raise CardFileError(f"{where}: missing {exc.args[0]!r}") from None
        except ValueError:
            raise CardFileError(
                f"{where}: role must be one of {', '.join(r.value for r in Role)}"
            ) from None
        if card.plane is not None and card.plane not in PLANES:
            raise CardFileError(f"{where}: plane must be one of {', '.join(PLANES)}")
        if not card.phases:
            raise CardFileError(f"{where}: give at least one phase")
        cards.append(card)
    return cards


@cache
def shipped_cards(lang: str) -> tuple[Card, ...]:
    text = resources.files("aoi_tui.data").joinpath(f"cards/{lang}.toml").read_text("utf-8")
    return tuple(_parse(tomllib.loads(text), f"cards/{lang}.toml", own=False))


def user_cards(lang: str, folder: Path | None = None) -> list[Card]:
    path = (folder or config_dir()) / USER_CARDS
    if not path.exists():
        return []
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CardFileError(f"{path}: {exc}") from None
    items = [c for c in raw.get("card", []) if c.get("lang") in (None, lang)]
    for c in items:
        c.pop("lang", None)
    return _parse({"card": items}, str(path), own=True)


def load_deck(lang: str, folder: Path | None = None) -> Deck:
    """Shipped cards and the coach's own; an own card with a shipped id replaces it."""
    own = user_cards(lang, folder)
    own_ids = {c.id for c in own}
    seed = os.environ.get(SEED_ENV, "").strip()
    return Deck(
        [c for c in shipped_cards(lang) if c.id not in own_ids] + own,
        seed=int(seed) if seed.lstrip("-").isdigit() else None,
    )


class Deck:
    """Draws cards suited to a phase and role, without repeating until the
    suitable ones are exhausted."""

    def __init__(self, cards: list[Card], seed: int | None = None) -> None:
        self.cards = cards
        self._rng = random.Random(seed)
        self._seen: set[str] = set()

    def suited(self, phase: str, role: Role) -> list[Card]:
        return [c for c in self.cards if c.role is role and phase in c.phases]

    def draw(self, phase: str, role: Role) -> Card | None:
        """A card for this role in this phase; any card of the role when none fits."""
        pool = self.suited(phase, role) or [c for c in self.cards if c.role is role]
        if not pool:
            return None
        fresh = [c for c in pool if c.id not in self._seen]
        if not fresh:
            self._seen -= {c.id for c in pool}
            fresh = pool
        card = self._rng.choice(fresh)
        self._seen.add(card.id)
        return card

    def by_id(self, card_id: str) -> Card | None:
        return next((c for c in self.cards if c.id == card_id), None)
