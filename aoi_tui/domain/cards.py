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

from aoi_tui.config.i18n import LANGUAGES
from aoi_tui.config.locations import config_dir
from aoi_tui.domain.phases import phase_def, phase_ids, session_kinds
from aoi_tui.domain.text import clean, clean_line
from aoi_tui.domain.vocabulary import INDIVIDUAL_KINDS, Role

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


FIELDS = ("id", "role", "phases", "title", "text")
OPTIONAL = ("plane", "lang")


def _known_phases() -> set[str]:
    return {p for kind in session_kinds() for p in phase_ids(kind)}


def _string(item: dict[str, Any], key: str, where: str) -> str:
    value = item[key]
    if not isinstance(value, str):
        raise CardFileError(f'{where}: {key} must be text in quotes, e.g. {key} = "..."')
    return value


def _card(item: object, where: str, own: bool) -> Card:
    """One card table, checked field by field: a wrong shape is a CardFileError
    naming the card and the field, never a TypeError."""
    if not isinstance(item, dict):
        raise CardFileError(
            f"{where}: a card is a [[card]] table with id, role, phases, title, text"
        )
    missing = [k for k in FIELDS if k not in item]
    if missing:
        raise CardFileError(f"{where}: missing {', '.join(repr(k) for k in missing)}")
    unknown = sorted(set(item) - set(FIELDS) - set(OPTIONAL))
    if unknown:
        raise CardFileError(f"{where}: unknown field(s) {', '.join(repr(k) for k in unknown)}")
    role = _string(item, "role", where)
    if role not in {r.value for r in Role}:
        raise CardFileError(f"{where}: role must be one of {', '.join(r.value for r in Role)}")
    phases = item["phases"]
    if not isinstance(phases, list) or not all(isinstance(p, str) for p in phases):
        raise CardFileError(f'{where}: phases must be a list of phase ids, e.g. ["debrief"]')
    if not phases:
        raise CardFileError(f"{where}: give at least one phase")
    unknown_phases = sorted(set(phases) - _known_phases())
    if unknown_phases:
        raise CardFileError(f"{where}: unknown phase id(s): {', '.join(unknown_phases)}")
    plane = item.get("plane")
    if plane is not None and plane not in PLANES:
        raise CardFileError(f"{where}: plane must be one of {', '.join(PLANES)}")
    lang = item.get("lang")
    if lang is not None and lang not in LANGUAGES:
        raise CardFileError(f"{where}: lang must be one of {', '.join(LANGUAGES)}")
    # A card's words reach the terminal: cleaned like typed text (no escape sequence,
    # no control character can clear the screen or retitle the window).
    card = Card(
        id=clean_line(_string(item, "id", where)),
        role=Role(role),
        phases=tuple(phases),
        title=clean_line(_string(item, "title", where)),
        text=clean(_string(item, "text", where)).strip(),
        plane=plane,
        own=own,
    )
    if not card.id or not card.title or not card.text:
        raise CardFileError(f"{where}: id, title and text cannot be empty")
    return card


def _cards(raw: dict[str, Any], source: str) -> list[Any]:
    unknown = sorted(set(raw) - {"card"})
    if unknown:
        raise CardFileError(
            f"{source}: unknown key(s) {', '.join(repr(k) for k in unknown)}: "
            "each card is a [[card]] table"
        )
    items = raw.get("card", [])
    if not isinstance(items, list):
        raise CardFileError(
            f"{source}: card must be a list of tables: write [[card]] (double brackets) "
            "before each card"
        )
    return items


def _parse(raw: dict[str, Any], source: str, own: bool, lang: str | None = None) -> list[Card]:
    """The cards of a file; with `lang`, only those for that language (or for all)."""
    cards = []
    for i, item in enumerate(_cards(raw, source), start=1):
        card = _card(item, f"{source}, card {i}", own)
        if lang is None or item.get("lang") in (None, lang):
            cards.append(card)
    return cards


@cache
def shipped_cards(lang: str) -> tuple[Card, ...]:
    text = resources.files("aoi_tui.data").joinpath(f"cards/{lang}.toml").read_text("utf-8")
    return tuple(_parse(tomllib.loads(text), f"cards/{lang}.toml", own=False))


def user_cards(lang: str, folder: Path | None = None) -> list[Card]:
    """The coach's own cards for `lang`. Raises CardFileError, naming the file and the
    problem, for any mistake in it (TOML syntax or the shape of a card)."""
    path = (folder or config_dir()) / USER_CARDS
    if not path.exists():
        return []
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except UnicodeDecodeError:
        raise CardFileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise CardFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise CardFileError(f"{path}: not valid TOML ({exc})") from None
    return _parse(raw, str(path), own=True, lang=lang)


def load_deck(lang: str, folder: Path | None = None) -> Deck:
    """Shipped cards and the coach's own; an own card with a shipped id replaces it."""
    own = user_cards(lang, folder)
    own_ids = {c.id for c in own}
    seed = os.environ.get(SEED_ENV, "").strip()
    return Deck(
        [c for c in shipped_cards(lang) if c.id not in own_ids] + own,
        seed=int(seed) if seed.lstrip("-").isdigit() else None,
    )


def _phase(phase: str) -> tuple[str | None, bool]:
    """The session kind of a phase id and whether the N+1 is in the room then."""
    found = phase_def(phase)
    return (found[0], found[1].sponsor) if found else (None, False)


class Deck:
    """Draws cards suited to a phase and role, without repeating until the
    suitable ones are exhausted."""

    def __init__(self, cards: list[Card], seed: int | None = None) -> None:
        self.cards = cards
        self._rng = random.Random(seed)
        self._seen: set[str] = set()

    def _for(self, role: Role, form: str | None) -> list[Card]:
        """The cards of `role` a group of this form may see: with `form` (team, peers), a
        collective card whose plane names the other form is left out."""
        other = {"team": "peers", "peers": "team"}.get(form or "")
        return [
            c
            for c in self.cards
            if c.role is role
            and not (
                other is not None
                and c.plane == other
                and any(_phase(p)[0] not in INDIVIDUAL_KINDS for p in c.phases)
            )
        ]

    def suited(self, phase: str, role: Role, form: str | None = None) -> list[Card]:
        """The cards of `role` made for `phase` (for a group of `form`, if given)."""
        return [c for c in self._for(role, form) if phase in c.phases]

    def nearby(self, phase: str, role: Role, form: str | None = None) -> list[Card]:
        """When no card is made for `phase`: those of `role` made for another phase of the
        same kind of session, with the N+1 in the room as in `phase` or not as in it.
        Never a card of an individual session in a group's, a team's in a peer group's,
        or a card written without the N+1 in mind while the N+1 listens."""
        kind, sponsor = _phase(phase)
        if kind is None:
            return []
        return [
            c for c in self._for(role, form) if any(_phase(p) == (kind, sponsor) for p in c.phases)
        ]

    def draw(self, phase: str, role: Role, form: str | None = None) -> Card | None:
        """A card for this role in this phase, else one of `nearby`; None when none fits."""
        pool = self.suited(phase, role, form) or self.nearby(phase, role, form)
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
