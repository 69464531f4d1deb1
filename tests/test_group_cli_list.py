"""`aoi engagement list` for a peer group with no N+1 of its own (issue 13 §1):
said in words in both languages, never an empty "(N+1: )"."""

from __future__ import annotations

import pytest

from aoi_tui.store.store import Store
from tests.test_cli import aoi, ok


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    return {**cli_env, "AOI_NOW": "2026-11-23T10:00:00+01:00"}


def test_a_peer_group_without_an_n1_is_listed_in_words(store: Store, env: dict[str, str]) -> None:
    data = store.root
    ok(aoi(env, data, "engagement", "new", "--group", "Codev Nord", "--form", "peers"))
    for lang, words in (
        ("en", "(N+1: none for the group)"),
        ("fr", "(N+1 : aucun pour le groupe)"),
    ):
        listed = ok(aoi(env, data, "--lang", lang, "engagement", "list"))
        line = next(x for x in listed.splitlines() if "Codev Nord" in x)
        assert words in line and "N+1: )" not in line and "N+1 : )" not in line
