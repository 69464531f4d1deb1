"""Cards for collective work (issue 13 §2): at least six per role for the
phases of a team's and a peer group's sessions, in French and English, the
same cards in both; new cards, not shipped ones given a collective phase."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings, strategies as st

from aoi_tui.domain.cards import Card, Deck, shipped_cards
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


ROLES = tuple(Role)
ALL_PHASES = sorted(
    {p.id for kind in INDIVIDUAL_KINDS + COLLECTIVE_KINDS for p in phases_for(kind.value)}
)
KIND_OF = {
    p.id: kind.value for kind in INDIVIDUAL_KINDS + COLLECTIVE_KINDS for p in phases_for(kind)
}
WITH_N1 = {p.id for kind in KIND_OF.values() for p in phases_for(kind) if p.sponsor}


def test_every_phase_has_a_card_for_each_role_the_same_in_both_languages() -> None:
    """A peer session's news drew 'Votre rôle vu d'en haut' (an individual's card):
    no card of the mirror was made for it, nor for 45 other (collective phase, role)."""
    assert len(KIND_OF) == len(ALL_PHASES), "a phase id belongs to one session kind"
    made_for = {
        lang: {
            (phase, role): {c.id for c in Deck(list(shipped_cards(lang))).suited(phase, role)}
            for phase in ALL_PHASES
            for role in ROLES
        }
        for lang in ("fr", "en")
    }
    assert made_for["fr"] == made_for["en"]
    missing = [key for key, ids in made_for["fr"].items() if not ids]
    assert not missing
    # the N+1 is there at a handover, a kickoff, a closing: its cards are made for it
    assert {"handover", "team_handover", "charter", "group_next", "agreement"} <= WITH_N1
    for card in shipped_cards("fr"):
        assert len({p in WITH_N1 for p in card.phases}) == 1, card.id


def _made_for_peers(card: Card) -> bool:
    kinds = {KIND_OF[p] for p in card.phases}
    group_phase = kinds & {"group_kickoff", "group_closing"}
    return "peer" in kinds or (bool(group_phase) and card.plane != "team")


def test_a_peer_session_draws_only_cards_made_for_a_peer_group() -> None:
    """Every draw of each role in each phase of a peer group's sessions, until the
    deck has gone round: never a team's card nor an individual's; a team's session
    never a peer group's, an individual session never a group's."""
    peer_phases = [p for p, k in KIND_OF.items() if k in ("peer", "group_kickoff", "group_closing")]
    for lang in ("fr", "en"):
        deck = Deck(list(shipped_cards(lang)), seed=3)
        for phase in peer_phases:
            for role in ROLES:
                for _ in range(4):
                    card = deck.draw(phase, role, "peers")
                    assert card is not None and _made_for_peers(card), (lang, phase, card)
        for phase, kind in KIND_OF.items():
            if kind == "peer":
                continue  # drawn above
            form = None if kind in {k.value for k in INDIVIDUAL_KINDS} else "team"
            for role in ROLES:
                card = deck.draw(phase, role, form)
                assert card is not None and kind in {KIND_OF[p] for p in card.phases}
                assert not (form and card.plane == "peers"), (phase, card.id)


phase_ids = st.sampled_from(ALL_PHASES)
any_card = st.builds(
    Card,
    id=st.text("abc123", min_size=1, max_size=4),
    role=st.sampled_from(ROLES),
    phases=st.lists(phase_ids, min_size=1, max_size=3).map(tuple),
    title=st.just("t"),
    text=st.just("x"),
    plane=st.sampled_from([None, "peers", "team", "organisation"]),
)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(any_card, max_size=12),
    phase_ids,
    st.sampled_from(ROLES),
    st.sampled_from([None, "individual", "team", "peers"]),
)
def test_a_card_drawn_where_none_fits_is_one_of_the_same_kind_of_session(
    cards: list[Card], phase: str, role: Role, form: str | None
) -> None:
    """Whatever the coach's own cards: the card drawn is of the role, made for the
    phase or another of the same session kind; while the N+1 is there, one made for
    the N+1's presence; in a group, never one whose plane names the other form."""
    card = Deck(cards, seed=0).draw(phase, role, form)
    fitting = [c for c in cards if c.role is role and phase in c.phases]
    if card is None:
        assert not [c for c in fitting if form not in ("team", "peers") or c.plane is None]
        return
    assert card.role is role
    assert KIND_OF[phase] in {KIND_OF[p] for p in card.phases}
    if phase in WITH_N1:
        assert any(KIND_OF[p] == KIND_OF[phase] and p in WITH_N1 for p in card.phases)
    if form in ("team", "peers") and KIND_OF[phase] in {k.value for k in COLLECTIVE_KINDS}:
        assert card.plane != {"team": "peers", "peers": "team"}[form]


def test_with_no_card_for_the_phase_the_n1_hears_none_made_for_another_room() -> None:
    """The coach's own cards replaced the handover's only mirror card with one for the
    review: the handover draws no card rather than 'the situation you chose to tell'."""
    review = Card(id="m", role=Role.MIRROR, phases=("review",), title="Raconter", text="x")
    deck = Deck([review])
    assert deck.draw("field", Role.MIRROR) is review  # same session, same room
    assert deck.draw("handover", Role.MIRROR) is None  # the N+1 is there
    assert deck.draw("team_review", Role.MIRROR) is None  # a team's session
    assert deck.draw("news", Role.MIRROR, "peers") is None
