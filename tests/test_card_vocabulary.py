"""The cards speak the app's words: the English decks said "line manager" where
the screens, the exports and the French cards say "N+1" (`i18n` en: `field.sponsor`)."""

from __future__ import annotations

import re

from aoi_tui.config.i18n import t
from aoi_tui.domain.cards import shipped_cards


def test_every_card_names_the_n1_as_the_app_does_in_both_languages() -> None:
    assert t("owner.sponsor", "en") == "N+1" == t("owner.sponsor", "fr")
    words = {
        lang: {c.id: f"{c.title}\n{c.text}" for c in shipped_cards(lang)} for lang in ("fr", "en")
    }
    for card_id, french in words["fr"].items():
        english = words["en"][card_id]
        assert french.count("N+1") == english.count("N+1"), card_id
        assert not re.search(r"line manager|sponsor", english, re.I), (card_id, english)
