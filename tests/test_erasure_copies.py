"""Erasure reaches every copy the store keeps, and a passphrase change leaves no
key-file copy the old passphrase opens (issue 11, section 1).

The attack is the one that broke aoi once: build every copy the store makes
(backups, the state after the last write, quarantine/ after a repair of a
damaged key file, index and engagement file, drafts and their leftovers, live
leases, leftovers of interrupted writes, export records), erase, then read
every file left under the data folder the way an attacker holding the
passphrase and the recovery code would: take any key-file copy, whole or
damaged, unwrap the master key from it, look for any wrapped data key of the
erased engagement in any file, and decrypt every file with every key found,
without even checking the authentication tag (AES-GCM is counter mode: a
damaged file still gives up its plaintext)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from aoi_tui.access.passphrase import change_passphrase
from aoi_tui.domain.models import Audience, Engagement, SessionKind
from aoi_tui.exports.writing import build_export, write_export
from aoi_tui.live.live_session import Draft, LiveSession
from aoi_tui.secure import crypto
from aoi_tui.secure.crypto import DecryptionError, KdfParams
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.secure.storage import MAGIC
from aoi_tui.store.doctor import run_doctor
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import INDEX, KEYS, Store
from tests.cli_support import aoi
from tests.support import PASSPHRASE
from tests.test_store import reopen

NEW_PASSPHRASE = "a brand new passphrase"
ERASED_COACHEE = "Ophélie Canari-Effacée"
ERASED_SPONSOR = "Gaspard Canari-Sponsor"
ERASED_NOTE = "CANARY-NOTE burnout, appeler les RH"
ERASED_DRAFT = "CANARY-DRAFT typed, never saved"
CANARIES = [ERASED_COACHEE, ERASED_SPONSOR, ERASED_NOTE, ERASED_DRAFT, "CANARY"]
KEPT_COACHEE = "Yann Le Goff"


# -- the attacker ------------------------------------------------------------------------------

WRAP = re.compile(rb'"salt"\s*:\s*"([A-Za-z0-9+/=]+)"\s*,\s*"wrapped"\s*:\s*"([A-Za-z0-9+/=]+)"')
STORE_ID = re.compile(rb'"store_id"\s*:\s*"([0-9a-z]+)"')
B64 = re.compile(rb"[A-Za-z0-9+/]{40,}={0,2}")


def _b64(token: bytes) -> bytes | None:
    try:
        return base64.b64decode(token + b"=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None


@dataclass
class Loot:
    masters: set[bytes] = field(default_factory=set)
    data_keys: dict[str, set[bytes]] = field(default_factory=dict)  # engagement id -> keys
    opened_by: dict[str, list[Path]] = field(default_factory=dict)  # secret -> key files
    plaintext_in: dict[str, list[Path]] = field(default_factory=dict)  # canary -> files


class Attacker:
    """Reads every file under the data folder, trusting no name and no format."""

    def __init__(self, secrets: dict[str, str]) -> None:
        self.secrets = secrets  # label -> passphrase or recovery code (normalised)
        self._derived: dict[tuple[bytes, str], bytes] = {}

    def _kek(self, salt: bytes, secret: str) -> bytes:
        if (salt, secret) not in self._derived:
            self._derived[salt, secret] = crypto.derive_key(secret, salt, KdfParams())
        return self._derived[salt, secret]

    def masters_in(self, blob: bytes) -> dict[str, bytes]:
        """label -> master key, for every wrapped master in this blob that a secret opens."""
        found: dict[str, bytes] = {}
        store_ids = {m.group(1) for m in STORE_ID.finditer(blob)}
        for match in WRAP.finditer(blob):
            salt, wrapped = _b64(match.group(1)), _b64(match.group(2))
            if salt is None or wrapped is None:
                continue
            for label, secret in self.secrets.items():
                kek = self._kek(salt, secret)
                for store_id in store_ids:
                    try:
                        found[label] = crypto.unseal(kek, wrapped, b"aoi-master:" + store_id)
                    except DecryptionError:
                        continue
        return found

    def loot(self, root: Path, engagement_ids: list[str]) -> Loot:
        files = {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
        loot = Loot()
        for path, blob in files.items():
            for label, master in self.masters_in(blob).items():
                loot.masters.add(master)
                loot.opened_by.setdefault(label, []).append(path)
        for blob in files.values():
            for token in B64.findall(blob):
                wrapped = _b64(token)
                if wrapped is None:
                    continue
                for master in loot.masters:
                    for eid in engagement_ids:
                        try:
                            key = crypto.unseal(master, wrapped, b"aoi-engagement:" + eid.encode())
                        except DecryptionError:
                            continue
                        loot.data_keys.setdefault(eid, set()).add(key)
        keys = set(loot.masters) | {k for ks in loot.data_keys.values() for k in ks}
        for path, blob in files.items():
            plains = [blob, *(_ctr_plain(key, blob) for key in keys)]
            for canary in CANARIES:
                if any(canary.encode() in plain for plain in plains):
                    loot.plaintext_in.setdefault(canary, []).append(path)
        return loot


def _ctr_plain(key: bytes, blob: bytes) -> bytes:
    """What AES-GCM's counter mode gives for `blob` under `key`, tag unchecked."""
    start = blob.find(MAGIC)
    body = blob[start + len(MAGIC) :] if start >= 0 else blob
    if len(body) <= crypto.NONCE_BYTES:
        return b""
    nonce, ciphertext = body[: crypto.NONCE_BYTES], body[crypto.NONCE_BYTES :]
    decryptor = Cipher(algorithms.AES(key), modes.CTR(nonce + b"\x00\x00\x00\x02")).decryptor()
    return decryptor.update(ciphertext) + decryptor.finalize()


# -- building every copy -------------------------------------------------------------------------


def _engagement(store: Store, coachee: str, sponsor: str) -> EngagementFile:
    ef = store.create_engagement(Engagement(coachee=coachee, sponsor=sponsor, coach="Claire"))
    ef.new_session(SessionKind.AOI)
    return ef


def _every_copy(store: Store, tmp_path: Path) -> tuple[str, str]:
    """Two engagements and every kind of copy of the first (the one to erase)."""
    gone = _engagement(store, ERASED_COACHEE, ERASED_SPONSOR)
    kept = _engagement(store, KEPT_COACHEE, "Bruno Lefèvre")
    for i in range(3):  # three processes: backups of each file, of the index, of the key file
        again = reopen(store)
        again.engagement(gone.id).add_note(1, f"{ERASED_NOTE} {i}")
        again.engagement(kept.id).add_note(1, f"kept {i}")
        again.refresh_summary(gone.id)
    # An export recorded in the engagement (the file itself is the coach's, outside).
    export = build_export(store, gone.id, Audience.CONFIDENTIAL, "md", "en")
    write_export(store, gone.id, export, str(tmp_path / "exported.md"))

    # Damage the key file, the index, the engagement file; a stray copy of the
    # engagement file and another engagement's file swapped for it. Repair:
    # quarantine/ then holds a copy of each, still readable by whoever has a key.
    root = store.root
    gone_path = root / "engagements" / f"{gone.id}.db"
    kept_path = root / "engagements" / f"{kept.id}.db"
    good_gone = gone_path.read_bytes()
    (root / KEYS).write_bytes((root / KEYS).read_bytes() + b"\x00 damaged tail")
    (root / INDEX).write_bytes((root / INDEX).read_bytes() + b"\x00 damaged tail")
    gone_path.write_bytes(good_gone[:-40])  # truncated: the tag fails, the text is there
    kept_path.write_bytes(good_gone)  # another engagement's file in its place
    (root / "engagements" / "0123456789ab.db").write_bytes(good_gone)  # no key: "erased?"
    report = run_doctor(root, lambda: reopen(store), repair=True)
    assert report.healthy, report.human()
    quarantine = sorted(p.name for p in (root / "quarantine").iterdir())
    assert len(quarantine) == 5, quarantine
    assert [n.text for n in reopen(store).engagement(kept.id).notes()][:3] == [
        "kept 0",
        "kept 1",
        "kept 2",
    ]

    # A live session: its lease and its draft; a draft's leftover temporary file.
    live_ef = reopen(store).engagement(gone.id)
    live = LiveSession(live_ef, 1)
    live.take()
    live.save_draft(Draft(session=1, phase="review", text=ERASED_DRAFT))
    draft = root / "drafts" / f"{gone.id}.draft"
    draft.with_name(f".{draft.name}.abcdefgh.tmp").write_bytes(draft.read_bytes())

    # Leftovers of writes killed half-way (after the repair, so still there).
    keys_now = (root / KEYS).read_bytes()
    (root / f".{KEYS}.abcdefgh.tmp").write_bytes(keys_now)
    (root / f".{INDEX}.abcdefgh.tmp").write_bytes((root / INDEX).read_bytes())
    (root / "backups" / KEYS / ".20260101T000000000000Z.bak.abcdefgh.tmp").write_bytes(keys_now)
    return gone.id, kept.id


# -- the tests ------------------------------------------------------------------------------------


def test_an_erased_engagement_opens_from_no_copy_left_on_disk(
    store: Store, store_template: tuple[Path, bytes, str], tmp_path: Path
) -> None:
    _, master, code = store_template
    attacker = Attacker(
        {"passphrase": PASSPHRASE, "recovery code": crypto.normalise_recovery_code(code)}
    )
    gone, kept = _every_copy(store, tmp_path)

    # The attack works: before the erasure it finds the key and reads every canary.
    before = attacker.loot(store.root, [gone, kept])
    assert before.masters == {master}
    assert before.data_keys.get(gone) and before.data_keys.get(kept)
    assert set(before.plaintext_in) == set(CANARIES), before.plaintext_in
    quarantined = [p for p in before.plaintext_in[ERASED_COACHEE] if "quarantine" in p.parts]
    assert quarantined, "the repair left readable copies in quarantine/"

    removed = reopen(store).erase(gone)

    after = attacker.loot(store.root, [gone, kept])
    assert after.masters == {master}  # the passphrase still opens the store...
    assert set(after.opened_by) == {"passphrase", "recovery code"}
    assert after.data_keys.get(kept)  # ...and what was kept
    assert gone not in after.data_keys, "a copy still holds the erased engagement's key"
    assert after.plaintext_in == {}, after.plaintext_in
    left = [p for p in store.root.rglob("*") if gone in p.name]
    assert left == [], left
    assert not any((store.root / "quarantine").glob(f"{gone}*"))
    assert all(p.is_relative_to(store.root) for p in removed)

    # What was kept is whole, and the store is healthy.
    again = reopen(store)
    assert [s.id for s in again.list_engagements()] == [kept]
    assert [n.text for n in again.engagement(kept).notes()] == ["kept 0", "kept 1", "kept 2"]
    report = run_doctor(store.root, lambda: reopen(store))
    assert report.findings == [], report.human()


def test_erase_through_the_cli_reaches_quarantine(
    store: Store, cli_env: dict[str, str], tmp_path: Path
) -> None:
    gone, _ = _every_copy(store, tmp_path)
    result = aoi(cli_env, "erase", gone, "--yes", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["erased"] is True
    for path in store.root.rglob("*"):
        if path.is_file():
            assert gone.encode() not in path.read_bytes(), path
            assert gone not in path.name, path
    assert aoi(cli_env, "doctor").returncode == 0


def _key_file_copies(store: Store, tmp_path: Path) -> None:
    """Key-file copies everywhere: backups, quarantine (after a repair), leftovers."""
    root = store.root
    for coachee in ("Aurore Test", "Basile Test"):
        _engagement(store, coachee, "Sponsor")
    (root / KEYS).write_bytes((root / KEYS).read_bytes() + b"\x00 damaged tail")
    assert run_doctor(root, lambda: reopen(store), repair=True).healthy
    # A second repair, of a key file whose JSON is cut short: quarantined too.
    raw = (root / KEYS).read_bytes()
    (root / KEYS).write_bytes(raw[: raw.index(b'"engagements"')])
    assert run_doctor(root, lambda: reopen(store), repair=True).healthy
    assert len(list((root / "quarantine").glob(f"{KEYS}.*"))) == 2
    keys_now = (root / KEYS).read_bytes()
    (root / f".{KEYS}.abcdefgh.tmp").write_bytes(keys_now)
    (root / "backups" / KEYS / ".20260101T000000000000Z.bak.abcdefgh.tmp").write_bytes(keys_now)


@pytest.mark.parametrize("how", ["passphrase", "recovery code", "cli --recover"])
def test_after_a_passphrase_change_the_old_one_opens_no_copy(
    store: Store,
    store_template: tuple[Path, bytes, str],
    cli_env: dict[str, str],
    tmp_path: Path,
    how: str,
) -> None:
    _, master, code = store_template
    _key_file_copies(store, tmp_path)
    old = Attacker({"old": PASSPHRASE})
    assert old.loot(store.root, []).opened_by["old"], "the attack finds the old passphrase's copies"

    if how == "cli --recover":
        env = {**cli_env, "AOI_RECOVERY_CODE": code, "AOI_NEW_PASSPHRASE": NEW_PASSPHRASE}
        del env["AOI_PASSPHRASE"]
        result = aoi(env, "passphrase", "--recover")
        assert result.returncode == 0, result.stderr
    else:
        s = reopen(store)
        if how == "recovery code":
            keyfile = KeyFile.load(store.root / KEYS)
            s = Store(store.root, keyfile, keyfile.unlock_with_recovery(code))
        change_passphrase(s, NEW_PASSPHRASE)

    after = Attacker({"old": PASSPHRASE, "new": NEW_PASSPHRASE}).loot(store.root, [])
    assert "old" not in after.opened_by, after.opened_by["old"]
    assert store.root / KEYS in after.opened_by["new"]
    assert after.masters == {master}
    assert KeyFile.load(store.root / KEYS).unlock_with_recovery(code) == master
