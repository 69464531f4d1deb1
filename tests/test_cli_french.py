"""`aoi` in French says its refusals in French: which export to ask for, and a
store file it cannot read (the reason and the pointer to `aoi doctor`).
argparse's own usage lines stay English."""

from __future__ import annotations

from aoi_tui.domain.models import Engagement
from aoi_tui.store.store import Store
from tests.cli_support import aoi, cli_error


def test_the_cli_refuses_in_french(store: Store, cli_env: dict[str, str]) -> None:
    ef = store.create_engagement(
        Engagement(coachee="Zoé Martin", sponsor="Nadia", coach="Claire", organisation="ACME")
    )
    fr = {**cli_env, "AOI_LANG": "fr"}
    said = cli_error(aoi(fr, "export", ef.id, "--recap"))
    assert "récapitulatif d'une séance : ajoutez --session N" in said, said
    said = cli_error(aoi(fr, "export", ef.id))
    assert said.endswith("dites quoi exporter : --shared, --confidential, ou --session N --recap")

    (store.root / "engagements" / f"{ef.id}.db").write_bytes(b"\x00\xffnot ours" * 10)
    said = cli_error(aoi(fr, "note", "list", ef.id))
    assert " : pas un fichier aoi ; `aoi doctor` vérifie le stockage" in said, said
    # the same refusal in English, word for word as before
    said = cli_error(aoi(cli_env | {"AOI_LANG": "en"}, "note", "list", ef.id))
    assert said.endswith(
        ": not an aoi file; `aoi doctor` checks the store and can restore from a backup"
    )
