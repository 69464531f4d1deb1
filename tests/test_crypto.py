"""Encryption primitives and the key file: AES-GCM seal/unseal, the Argon2id
cost the key file records, unlocking by passphrase or recovery code, and a
passphrase change that re-wraps the master key (key file and every backup of
it) without re-encrypting anything."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

from aoi_tui.access.opening import UnlockError
from aoi_tui.access.passphrase import change_passphrase
from aoi_tui.domain.ids import new_id, random_text
from aoi_tui.domain.models import Engagement, SessionKind
from aoi_tui.secure import crypto
from aoi_tui.secure.crypto import DecryptionError, KdfParams
from aoi_tui.secure.keyfile import KeyFile, WrongSecret
from aoi_tui.secure.storage import StoreFileError
from aoi_tui.store.store import KEYS, Store
from tests.support import PASSPHRASE

NEW_PASSPHRASE = "a new passphrase, much longer"

# -- seal / unseal --------------------------------------------------------------------


def test_seal_round_trip() -> None:
    key = crypto.new_key()
    assert len(key) == crypto.KEY_BYTES
    for plaintext in (b"", b"x", "Séance 3 : Miroir, Éperon".encode(), os.urandom(10_000)):
        blob = crypto.seal(key, plaintext, b"here")
        # a short plaintext may appear in random bytes by chance; a long one never
        assert len(plaintext) < 8 or plaintext not in blob
        assert crypto.unseal(key, blob, b"here") == plaintext


def test_seal_uses_a_fresh_nonce_each_time() -> None:
    key = crypto.new_key()
    assert crypto.seal(key, b"same", b"aad") != crypto.seal(key, b"same", b"aad")


def test_unseal_refuses_a_wrong_key() -> None:
    blob = crypto.seal(crypto.new_key(), b"secret", b"aad")
    with pytest.raises(DecryptionError):
        crypto.unseal(crypto.new_key(), blob, b"aad")


@pytest.mark.parametrize(
    "bad_key", [b"", b"short", os.urandom(16), os.urandom(31), os.urandom(33)], ids=len
)
def test_unseal_refuses_a_key_of_the_wrong_length(bad_key: bytes) -> None:
    # A keyring entry decoded to anything: it must read as "wrong key", not crash.
    blob = crypto.seal(crypto.new_key(), b"secret", b"aad")
    with pytest.raises(DecryptionError):
        crypto.unseal(bad_key, blob, b"aad")


def test_unseal_refuses_any_altered_byte() -> None:
    key = crypto.new_key()
    blob = crypto.seal(key, b"a coaching note", b"aad")
    for i in range(len(blob)):
        altered = bytearray(blob)
        altered[i] ^= 0x01
        with pytest.raises(DecryptionError):
            crypto.unseal(key, bytes(altered), b"aad")


def test_unseal_refuses_a_truncated_blob() -> None:
    key = crypto.new_key()
    blob = crypto.seal(key, b"a coaching note", b"aad")
    for cut in (0, 5, crypto.NONCE_BYTES + 15, len(blob) - 1):
        with pytest.raises(DecryptionError):
            crypto.unseal(key, blob[:cut], b"aad")


def test_unseal_refuses_a_wrong_aad() -> None:
    key = crypto.new_key()
    blob = crypto.seal(key, b"engagement A", b"aoi-engagement:A")
    with pytest.raises(DecryptionError):
        crypto.unseal(key, blob, b"aoi-engagement:B")
    with pytest.raises(DecryptionError):
        crypto.unseal(key, blob, b"")


# -- the key derivation ---------------------------------------------------------------


def test_argon2id_costs_about_46_mib() -> None:
    params = KdfParams()
    assert params.memory_kib == 46 * 1024
    assert params.iterations >= 1
    assert params.lanes >= 1


def test_derive_key_depends_on_secret_salt_and_params() -> None:
    salt = crypto.new_salt()
    key = crypto.derive_key(PASSPHRASE, salt, KdfParams())
    assert len(key) == crypto.KEY_BYTES
    assert crypto.derive_key(PASSPHRASE, salt, KdfParams()) == key
    assert crypto.derive_key(PASSPHRASE + "!", salt, KdfParams()) != key
    assert crypto.derive_key(PASSPHRASE, crypto.new_salt(), KdfParams()) != key
    more = KdfParams(memory_kib=KdfParams().memory_kib + 1024)  # dearer, never cheaper
    assert crypto.derive_key(PASSPHRASE, salt, more) != key


def test_key_file_records_the_kdf_and_no_personal_data(
    store_template: tuple[Path, bytes, str],
) -> None:
    root, _, code = store_template
    raw = json.loads((root / KEYS).read_bytes())
    assert raw["kdf"] == {
        "name": "argon2id",
        "memory_kib": 46 * 1024,
        "iterations": KdfParams().iterations,
        "lanes": KdfParams().lanes,
    }
    assert KeyFile.load(root / KEYS).kdf == KdfParams()
    text = (root / KEYS).read_text("ascii")
    assert PASSPHRASE not in text
    assert code not in text and code.replace("-", "") not in text
    salts = {raw["passphrase"]["salt"], raw["recovery"]["salt"]}
    assert len(salts) == 2  # a random salt per wrapping
    assert len(crypto.b64d(raw["passphrase"]["salt"])) >= 16


def test_unlock_uses_the_kdf_params_the_key_file_records(
    store_template: tuple[Path, bytes, str],
) -> None:
    root, master, _ = store_template
    raw = json.loads((root / KEYS).read_bytes())
    assert KeyFile.from_json(root / KEYS, raw).unlock(PASSPHRASE) == master
    raw["kdf"]["memory_kib"] += 1024  # not what it was wrapped with
    with pytest.raises(WrongSecret):
        KeyFile.from_json(root / KEYS, raw).unlock(PASSPHRASE)


# -- the key file: creation and unlocking ----------------------------------------------


def test_key_file_opens_with_passphrase_and_recovery_code(
    store_template: tuple[Path, bytes, str],
) -> None:
    root, master, code = store_template
    keyfile = KeyFile.load(root / KEYS)
    assert keyfile.unlock(PASSPHRASE) == master
    assert keyfile.unlock_with_recovery(code) == master
    assert keyfile.check_master(master)
    assert not keyfile.check_master(crypto.new_key())


def test_recovery_code_looks_right() -> None:
    code = crypto.new_recovery_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [5] * 6
    assert set(code.replace("-", "")) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert crypto.normalise_recovery_code(code) == code
    assert crypto.new_recovery_code() != code


def test_random_text_uses_every_character_of_its_alphabet_evenly() -> None:
    # ids and recovery codes: 32 characters, so the low five bits of a byte pick one
    draws = random_text("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 32_000)
    counts = {c: draws.count(c) for c in set(draws)}
    assert len(counts) == 32
    assert all(800 <= n <= 1200 for n in counts.values()), counts  # 1000 expected each
    with pytest.raises(ValueError):
        random_text("abc", 5)
    assert len(new_id()) == 12 and new_id() != new_id()


def test_recovery_code_is_normalised(store_template: tuple[Path, bytes, str]) -> None:
    root, master, code = store_template
    keyfile = KeyFile.load(root / KEYS)
    squashed = code.replace("-", "")
    typed = [
        code.lower(),
        " ".join(code.split("-")),
        squashed,
        f"  {squashed.lower()[:13]} {squashed.lower()[13:]}\n",
    ]
    for variant in typed:
        assert crypto.normalise_recovery_code(variant) == code
    # Only one derivation here: the normalisation above is what unlocking uses.
    assert keyfile.unlock_with_recovery(typed[-1]) == master


def test_recovery_code_reads_ambiguous_letters_as_digits() -> None:
    assert crypto.normalise_recovery_code("oil00-11ABC") == "01100-11ABC"


def test_wrong_secrets_are_refused(store_template: tuple[Path, bytes, str]) -> None:
    root, _, code = store_template
    keyfile = KeyFile.load(root / KEYS)
    with pytest.raises(WrongSecret):
        keyfile.unlock(PASSPHRASE.upper())
    with pytest.raises(WrongSecret):
        keyfile.unlock("")
    wrong_code = ("0" if code[0] != "0" else "1") + code[1:]
    with pytest.raises(WrongSecret):
        keyfile.unlock_with_recovery(wrong_code)
    with pytest.raises(WrongSecret):
        keyfile.unlock_with_recovery(PASSPHRASE)  # the passphrase is not the code


def test_key_files_of_two_stores_do_not_mix(store_template: tuple[Path, bytes, str]) -> None:
    root, master, _ = store_template
    other, other_master = KeyFile.create(PASSPHRASE, crypto.new_recovery_code())
    assert other.store_id != KeyFile.load(root / KEYS).store_id
    assert other_master != master
    assert not other.check_master(master)


def test_engagement_keys_are_wrapped_per_engagement(
    store_template: tuple[Path, bytes, str],
) -> None:
    root, master, _ = store_template
    keyfile = KeyFile.load(root / KEYS)
    a = keyfile.add_engagement(master, "aaaa")
    b = keyfile.add_engagement(master, "bbbb")
    assert a != b
    assert keyfile.engagement_key(master, "aaaa") == a
    with pytest.raises(DecryptionError):
        keyfile.engagement_key(crypto.new_key(), "aaaa")
    # A wrapped key moved to another engagement's slot does not open.
    keyfile.engagement_keys["bbbb"] = keyfile.engagement_keys["aaaa"]
    with pytest.raises(DecryptionError):
        keyfile.engagement_key(master, "bbbb")
    keyfile.forget_engagement("aaaa")
    with pytest.raises(KeyError):
        keyfile.engagement_key(master, "aaaa")


# -- changing the passphrase ----------------------------------------------------------


def _files(root: Path, pattern: str) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.glob(pattern))}


def test_change_passphrase_rewraps_key_file_and_every_backup(
    store: Store, store_template: tuple[Path, bytes, str]
) -> None:
    _, master, code = store_template
    root = store.root
    ef = store.create_engagement(Engagement(coachee="Aurore Test", sponsor="Basile Test"))
    ef.new_session(SessionKind.AOI)
    note = ef.add_note(1, "Written before the change.")
    store.create_engagement(Engagement(coachee="Second", sponsor="Sponsor"))
    data_before = _files(root, "engagements/*.db")
    assert data_before

    change_passphrase(store, NEW_PASSPHRASE)

    keyfile = KeyFile.load(root / KEYS)
    assert keyfile.unlock(NEW_PASSPHRASE) == master
    with pytest.raises(WrongSecret):
        keyfile.unlock(PASSPHRASE)
    assert keyfile.unlock_with_recovery(code) == master  # the recovery code still works

    backups = sorted((root / "backups" / KEYS).glob("*.bak"))
    assert len(backups) >= 3  # one per engagement created, one for the change
    for backup in backups:
        old_copy = KeyFile.from_json(backup, json.loads(backup.read_bytes()))
        with pytest.raises(WrongSecret):
            old_copy.unlock(PASSPHRASE)
        assert old_copy.unlock(NEW_PASSPHRASE) == master
    for backup in backups:
        assert KeyFile.from_json(backup, json.loads(backup.read_bytes())).check_master(master)

    # Nothing was re-encrypted, and what was written before reads as before.
    assert _files(root, "engagements/*.db") == data_before
    reopened = Store(root, keyfile, keyfile.unlock(NEW_PASSPHRASE))
    notes = reopened.engagement(ef.id).notes()
    assert [(n.id, n.text) for n in notes] == [(note.id, "Written before the change.")]
    assert {s.coachee for s in reopened.list_engagements()} == {"Aurore Test", "Second"}


def test_change_passphrase_refuses_a_short_one(store: Store) -> None:
    before = (store.root / KEYS).read_bytes()
    with pytest.raises(UnlockError, match="at least"):
        change_passphrase(store, "short")
    assert (store.root / KEYS).read_bytes() == before


# -- a damaged key file ---------------------------------------------------------------


def _damage(raw: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    damaged = copy.deepcopy(raw)
    *parents, last = path.split(".")
    node = damaged
    for name in parents:
        node = node[name]
    if value is _DROP:
        del node[last]
    else:
        node[last] = value
    return damaged


_DROP = object()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("format", "something-else"),
        ("v", "1"),
        ("v", None),
        ("store_id", _DROP),
        ("store_id", 5),
        ("kdf", _DROP),
        ("kdf.memory_kib", "47104"),
        ("kdf.iterations", None),
        ("passphrase", []),
        ("passphrase.salt", 5),
        ("passphrase.wrapped", "not base64!"),
        ("recovery", _DROP),
        ("probe", 7),
        ("engagements", ["a", "b"]),
        ("engagements", {"abc": 3}),
    ],
)
def test_damaged_key_file_is_a_clear_error(
    store_template: tuple[Path, bytes, str], tmp_path: Path, path: str, value: object
) -> None:
    root, _, _ = store_template
    target = tmp_path / KEYS
    raw = json.loads((root / KEYS).read_bytes())
    target.write_text(json.dumps(_damage(raw, path, value)))
    with pytest.raises(StoreFileError) as err:
        KeyFile.load(target)
    assert str(target) in str(err.value)


def test_key_file_that_is_not_json_is_a_clear_error(tmp_path: Path) -> None:
    for content in (b"", b"{", b"\xff\xfe", b"[]", b"null"):
        target = tmp_path / KEYS
        target.write_bytes(content)
        with pytest.raises(StoreFileError):
            KeyFile.load(target)
