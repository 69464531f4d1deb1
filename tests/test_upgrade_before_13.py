"""A store made before collective engagements upgrades without loss: a copy of
`tests/fixtures/store_before_13` (built by aoi at commit 112b498) is opened by
this aoi, each engagement file is upgraded once (the coachee becomes the one
participant), and every export made from it comes out byte-identical to the
one that aoi wrote; so it does after `aoi doctor --repair` restores a backup
taken before the upgrade (which is upgraded in turn)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from aoi_tui.access.opening import open_store
from aoi_tui.domain.models import Audience, Form
from aoi_tui.exports.writing import build_export
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.secure.storage import decrypt_file
from aoi_tui.store import migrations
from aoi_tui.store.doctor import run_doctor
from aoi_tui.store.store import KEYS, Store

FIXTURE = Path(__file__).parent / "fixtures" / "store_before_13"
MANIFEST = json.loads((FIXTURE / "manifest.json").read_text("utf-8"))
AUDIENCES = {"shared": Audience.SHARED, "confidential": Audience.CONFIDENTIAL}


@pytest.fixture
def old_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "old-store"
    shutil.copytree(FIXTURE / "store", root)
    monkeypatch.setenv("AOI_NOW", MANIFEST["now"])
    return root


_MASTER: dict[str, bytes] = {}


def unlock(root: Path) -> Store:
    """A new `Store` on `root`, as a new aoi process opens it (the passphrase's key
    derivation runs once per test session)."""
    if "master" not in _MASTER:
        _MASTER["master"] = open_store(
            root, lambda _label: MANIFEST["passphrase"], use_keyring=False
        ).master
    return Store(root, KeyFile.load(root / KEYS), _MASTER["master"])


def on_disk(store: Store, eid: str) -> dict[str, Any]:
    path = store.root / "engagements" / f"{eid}.db"
    return decrypt_file(path, store.engagement_key(eid), eid)


def expected_exports() -> list[tuple[str, str, str, str, int | None]]:
    """(file name, engagement id, audience, format, session) of every export in the fixture."""
    found = []
    for path in sorted((FIXTURE / "exports").iterdir()):
        label, which, lang, _fmt = path.name.split(".")
        session = int(which.removeprefix("recap-s")) if which.startswith("recap-s") else None
        found.append((path.name, MANIFEST["engagements"][label], which, lang, session))
    return found


def assert_every_export_identical(store: Store) -> None:
    exports = expected_exports()
    assert len(exports) == 108
    for name, eid, which, lang, session in exports:
        audience = Audience.RECAP if session is not None else AUDIENCES[which]
        fmt = name.rsplit(".", 1)[1]
        made = build_export(store, eid, audience, fmt, lang, session)
        assert made.content == (FIXTURE / "exports" / name).read_text("utf-8"), name


def test_the_fixture_was_made_before_file_version_2(old_store: Path) -> None:
    store = unlock(old_store)
    for eid in store.keyfile.engagement_keys:
        data = decrypt_file(old_store / "engagements" / f"{eid}.db", store.engagement_key(eid), eid)
        assert migrations.file_version(data) == 1 and "participants" not in data


def test_every_export_comes_out_byte_identical_after_the_upgrade(old_store: Path) -> None:
    store = unlock(old_store)
    assert_every_export_identical(store)
    for eid in store.keyfile.engagement_keys:
        # Chloé has no export: her file is upgraded at its first read
        store.engagement(eid).sessions()
        data = on_disk(store, eid)
        assert migrations.file_version(data) == migrations.FILE_VERSION == 3
        [engagement] = data["engagement"].values()
        [participant] = data["participants"].values()
        assert "coachee" not in engagement and "agreement" not in engagement
        assert engagement["form"] == Form.INDIVIDUAL.value
        assert participant["name"] and participant["report_own_items"] is True
        # every other record as it was: nothing about whom it concerns was added
        for table in ("notes", "actions", "objectives", "competencies", "assessments"):
            for doc in data.get(table, {}).values():
                assert "about" not in doc and "validations" not in doc
    # a second store opened on the upgraded files says the same
    assert_every_export_identical(unlock(old_store))


def test_the_coachee_agreement_and_withdrawal_move_to_the_one_participant(
    old_store: Path,
) -> None:
    store = unlock(old_store)
    bruno = store.engagement(MANIFEST["engagements"]["bruno"]).engagement()
    [p] = bruno.participants
    assert (p.name, bruno.coachee) == ("Bruno Lemaire", "Bruno Lemaire")
    assert p.withdrawn_on == bruno.withdrawn_on and p.withdrawn_on is not None
    assert p.agreement is bruno.agreement and p.agreement.report_attendance is False
    assert p.joined_on == bruno.created_at.date()
    summaries = {s.id: s for s in store.list_engagements()}
    assert summaries[bruno.id].coachee == "Bruno Lemaire"
    assert {s.coachee for s in summaries.values()} >= {"Chloé Petit", "Élodie Garnier"}
    # the index's rows written before groups read as what they were: individual, one person
    index = decrypt_file(old_store / "index.db", _MASTER["master"], "index")
    rows = list(index["engagements"].values())
    assert rows and all("form" not in r and "participants" not in r for r in rows)
    assert {(s.form, s.participants) for s in summaries.values()} == {("individual", 1)}
    # and a row rewritten says so in words of its own
    store.refresh_summary(bruno.id)
    [row] = [
        r
        for r in decrypt_file(old_store / "index.db", _MASTER["master"], "index")[
            "engagements"
        ].values()
        if r["id"] == bruno.id
    ]
    assert (row["form"], row["participants"]) == ("individual", 1)


def test_a_backup_taken_before_the_upgrade_is_restored_and_upgraded_again(
    old_store: Path,
) -> None:
    eid = MANIFEST["engagements"]["elodie"]
    store = unlock(old_store)
    ef = store.engagement(eid)
    ef.engagement()  # the upgrade: its backup holds the file as it was
    path = ef.path
    before = [
        b
        for b in store.backups.newest_first(path)
        if migrations.file_version(decrypt_file(b, ef.storage.key, eid)) == 1
    ]
    assert before, "no backup of the file as it was before the upgrade"
    # the engagement file is damaged and its copy after the last write is gone:
    # the repair can only restore a backup taken before the upgrade
    store.backups.latest(path).unlink()
    for newer in store.backups.newest_first(path):
        if newer not in before:
            newer.unlink()
    path.write_bytes(b"damaged")
    report = run_doctor(old_store, lambda: unlock(old_store), repair=True)
    assert report.healthy, report.human()
    [finding] = [f for f in report.findings if f.path == path]
    assert f"restored from backup {before[0].name}" in finding.repaired
    # the repair rebuilt the index from the restored file, which upgraded it again
    fresh = unlock(old_store)
    assert migrations.file_version(on_disk(fresh, eid)) == migrations.FILE_VERSION
    assert_every_export_identical(fresh)
