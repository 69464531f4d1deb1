"""Nothing a coach types sits on disk in plaintext: known, distinctive words go
in through the CLI (names, notes typed on standard input, the demo), then every
file of the data folder (its bytes and every component of its path) is
searched for them, in the encodings a careless writer would use."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import unicodedata
from pathlib import Path

from tests.cli_support import run_aoi
from tests.support import REPO

PASSPHRASE = "Passerelle-Clémentine-4417"

COACHEE = "Zéphyrine Quillebœuf"
SPONSOR = "Barnabé Krzyzanowski"
COACH = "Théodora Vlachou"
ORGANISATION = "Fromagerie Gruyèrexa"
PRIVATE_NOTE = (
    "Pourparlers houleux avec l'équipe Kumquatière ;\n"
    "vérifier le tamponnoir avant jeudi. Ça déraille côté Oursinade."
)
SHARED_NOTE = "Succès éclatant : le brouhaha du quai Ornithorynque est maîtrisé."

TYPED_WORDS = [
    "Zéphyrine",
    "Quillebœuf",
    "Barnabé",
    "Krzyzanowski",
    "Théodora",
    "Vlachou",
    "Gruyèrexa",
    "Kumquatière",
    "tamponnoir",
    "Oursinade",
    "Ornithorynque",
    "brouhaha",
]
# From the demo engagement (data/demo/camille.json): names, place, words of its notes.
DEMO_WORDS = ["Lefèvre", "Camille", "Dubois", "Saint-Aubin", "réaffectation", "légitimité"]


def aoi(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    data = Path(env["AOI_DATA_DIR"])
    result = run_aoi(["--data-dir", str(data), *args], env, stdin=stdin, cwd=data.parent)
    assert result.returncode == 0, result.stderr
    return result


def variants(word: str) -> set[bytes]:
    """The ways `word` could sit on disk unencrypted."""
    forms = {word, word.lower(), word.upper(), word.casefold()}
    forms |= {unicodedata.normalize(nf, f) for f in list(forms) for nf in ("NFC", "NFD")}
    found: set[bytes] = set()
    for form in forms:
        found.add(form.encode("utf-8"))
        found.add(form.encode("utf-16-le"))
        found.add(form.encode("utf-16-be"))
        found.add(json.dumps(form).strip('"').encode("ascii"))  # "Z\u00e9phyrine"
        with contextlib.suppress(UnicodeEncodeError):
            found.add(form.encode("latin-1"))
    return {v for v in found if len(v) >= 5}


def leaks(folder: Path, words: list[str]) -> list[str]:
    """Every (word, place) where a word shows in a file's bytes or its path."""
    found = []
    searched = {word: variants(word) for word in words}
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        rel = path.relative_to(folder)
        for word, forms in searched.items():
            for part in rel.parts:
                if word.casefold() in part.casefold():
                    found.append(f"{word!r} in the name {rel}")
            if any(form in data for form in forms):
                found.append(f"{word!r} in the contents of {rel}")
    return found


def test_typed_words_never_reach_the_disk_in_plaintext(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = tmp_path / "config"
    env = dict(os.environ)
    env.update(
        AOI_DATA_DIR=str(data),
        AOI_CONFIG_DIR=str(config),
        AOI_PASSPHRASE=PASSPHRASE,
        PYTHONPATH=str(REPO),
    )

    created = aoi(
        env,
        "engagement",
        "new",
        "--coachee",
        COACHEE,
        "--sponsor",
        SPONSOR,
        "--coach",
        COACH,
        "--organisation",
        ORGANISATION,
        "--json",
    )
    match = re.search(r"\b([0-9A-Z]{5}(?:-[0-9A-Z]{5}){5})\b", created.stderr)
    assert match, created.stderr
    recovery_code = match.group(1)
    eid = json.loads(created.stdout)["id"]

    aoi(env, "engagement", "consent", eid, "--date", "2026-11-02")
    assert json.loads(aoi(env, "session", "new", eid, "--json").stdout) == {"number": 1}
    aoi(env, "note", "add", eid, "--session", "1", "--kind", "difficulty", "-", stdin=PRIVATE_NOTE)
    shared = aoi(
        env,
        "note",
        "add",
        eid,
        "--session",
        "1",
        "--phase",
        "debrief",
        "--role",
        "mirror",
        "--shareable",
        "--json",
        "-",
        stdin=SHARED_NOTE,
    )
    aoi(env, "note", "validate", eid, json.loads(shared.stdout)["id"])
    aoi(env, "demo")
    confidential = aoi(env, "export", eid, "--confidential", "-o", "-").stdout

    # The words did go in (so finding none below means something).
    for word in TYPED_WORDS:
        assert word in confidential, word
    listed = aoi(env, "engagement", "list", "--json").stdout
    assert COACHEE in listed and "Lefèvre" in listed

    problems = leaks(data, TYPED_WORDS + DEMO_WORDS)
    assert not problems, "\n".join(problems)
    if config.exists() and any(p.is_file() for p in config.rglob("*")):
        assert not leaks(config, TYPED_WORDS + DEMO_WORDS)

    # Neither the passphrase nor the recovery code is written down anywhere.
    secrets = [PASSPHRASE, "Clémentine", recovery_code, recovery_code.replace("-", "")]
    for folder in (data, config):
        if folder.exists() and any(p.is_file() for p in folder.rglob("*")):
            assert not leaks(folder, secrets)


def test_the_search_would_find_a_leak(tmp_path: Path) -> None:
    """The search above finds what a careless writer would leave."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.db").write_bytes(json.dumps({"n": COACHEE}).encode())  # \u00e9
    (tmp_path / "b.txt").write_bytes("x krzyzanowski y".encode("utf-16-le"))
    (tmp_path / "c.txt").write_bytes(unicodedata.normalize("NFD", "THÉODORA").encode())
    (tmp_path / "Oursinade.db").write_bytes(b"\0")
    (tmp_path / "clean.db").write_bytes(os.urandom(4096))
    assert sorted(leaks(tmp_path, TYPED_WORDS)) == [
        "'Krzyzanowski' in the contents of b.txt",
        "'Oursinade' in the name Oursinade.db",
        "'Quillebœuf' in the contents of sub/a.db",
        "'Théodora' in the contents of c.txt",
        "'Zéphyrine' in the contents of sub/a.db",
    ]
