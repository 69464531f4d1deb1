"""Cards for collective work (issue 13 §2): at least six per role for the
phases of a team's and a peer group's sessions, in French and English, the
same cards in both; new cards, not shipped ones given a collective phase."""

from __future__ import annotations

from collections import Counter

from aoi_tui.domain.cards import shipped_cards
from aoi_tui.domain.phases import phases_for
from aoi_tui.domain.vocabulary import COLLECTIVE_KINDS, INDIVIDUAL_KINDS, Role

COLLECTIVE_PHASES = {p.id for kind in COLLECTIVE_KINDS for p in phases_for(kind.value)}
INDIVIDUAL_PHASES = {p.id for kind in INDIVIDUAL_KINDS for p in phases_for(kind.value)}


def test_each_role_has_six_cards_for_collective_sessions_in_both_languages() -> None:
    decks = {lang: shipped_cards(lang) for lang in ("fr", "en")}
    for lang, deck in decks.items():
        collective = [c for c in deck if set(c.phases) & COLLECTIVE_PHASES]
        counts = Counter(c.role for c in collective)
        assert all(counts[role] >= 6 for role in Role), (lang, counts)
        # written for groups: a collective phase only, never an individual card re-tagged
        for card in collective:
            assert not set(card.phases) & INDIVIDUAL_PHASES, card.id
    shape = {
        lang: {(c.id, c.role, c.phases, c.plane) for c in deck} for lang, deck in decks.items()
    }
    assert shape["fr"] == shape["en"]
    texts = {lang: {c.id: (c.title, c.text) for c in deck} for lang, deck in decks.items()}
    assert all(texts["fr"][i] != texts["en"][i] for i in texts["fr"])  # translated
