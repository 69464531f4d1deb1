"""French and English catalogs: the same keys in both, every key the code asks
for exists, and every enum value shown through a key prefix has its text."""

from __future__ import annotations

import ast
import re
import string
import tomllib
from enum import Enum
from pathlib import Path

import pytest

from aoi_tui.config import i18n
from aoi_tui.domain.models import (
    ActionStatus,
    Area,
    Assessor,
    Audience,
    Form,
    Format,
    Level,
    NoteKind,
    ObjectiveStatus,
    Owner,
    Role,
    SessionKind,
    Status,
    Timing,
    Visibility,
)
from aoi_tui.domain.planning import CancelledBy
from aoi_tui.domain.supervision import SupervisionForm

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted((REPO / "aoi_tui").rglob("*.py"))
KEY = re.compile(r"[a-z_0-9]+(?:\.[a-z_0-9]+)*")

# Every key prefix completed at run time by an enum value (t("status." + s.value) …).
ENUM_PREFIXES: dict[str, type[Enum]] = {
    "status.": Status,
    "format.": Format,
    "format_group.": Format,
    "session.kind.": SessionKind,
    "area.": Area,
    "objective.": ObjectiveStatus,
    "level.": Level,
    "assessor.": Assessor,
    "timing.": Timing,
    "owner.": Owner,
    "action.": ActionStatus,
    "role.": Role,
    "kind.": NoteKind,
    "visibility.": Visibility,
    "audience.": Audience,
    "supervision.form.": SupervisionForm,
    "export.group.form.": Form,
    "plan.by.": CancelledBy,
}
# Prefixes completed from a fixed list of names rather than an enum.
NAME_PREFIXES: dict[str, tuple[str, ...]] = {
    "field.": ("report_attendance", "report_objective_status", "report_competencies"),
    # the words of the case for supervision and of an access answer, and the preview's
    "export.supervision.": (
        "title",
        "banner",
        "notice",
        "question",
        "contract",
        "consent",
        "reported",
        "overall",
        "session",
        "whole_session",
        "reflections",
        "feelings",
        "hypotheses",
        "notes",
        "untimed",
    ),
    "export.access.": (
        "title",
        "cover",
        "controller",
        "purposes",
        "purposes_text",
        "recipients",
        "no_recipient",
        "retention",
        "retention_days",
        "retention_none",
        "sources",
        "sources_text",
        "rights",
        "rights_text",
        "you",
        "consent",
        "joined",
        "withdrawn",
        "sessions",
        "session",
        "levels",
        "texts",
        "private",
        "group",
        "source.coachee",
        "source.sponsor",
        "source.coach",
        "review",
        "names",
        "what.coachee_expectations",
        "what.sponsor_expectations",
        "what.strategy",
        "what.closing_synthesis",
        "what.closing_next",
        "what.objective",
        "what.competency",
        "what.note",
        "what.action",
        "what.reflection",
        "what.message",
    ),
    "supervision.preview.": (
        "replaced",
        "flagged",
        "nothing",
        "summary",
        "kind.name",
        "kind.date",
        "kind.email",
    ),
}


def catalog_files(lang: str) -> list[Path]:
    return [REPO / "data" / "i18n" / name.format(lang=lang) for name in i18n.CATALOGS]


def read_flat(path: Path) -> dict[str, str]:
    return i18n._flatten(tomllib.loads(path.read_text("utf-8")))


def catalog_file(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in catalog_files(lang):
        merged.update(read_flat(path))
    return merged


@pytest.mark.parametrize("index", range(len(i18n.CATALOGS)))
def test_both_languages_have_exactly_the_same_keys(index: int) -> None:
    fr = read_flat(catalog_files("fr")[index])
    en = read_flat(catalog_files("en")[index])
    assert sorted(set(fr) - set(en)) == []
    assert sorted(set(en) - set(fr)) == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalog_files_do_not_overlap(lang: str) -> None:
    seen: dict[str, str] = {}
    for path in catalog_files(lang):
        for key in read_flat(path):
            assert key not in seen, f"{key} is in both {seen.get(key)} and {path.name}"
            seen[key] = path.name
    assert seen.keys() == i18n.catalog(lang).keys()  # what the installed package reads


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_compiled_catalog_is_in_step_with_its_sources(lang: str) -> None:
    # the app reads the compiled JSON: an edit to a TOML source must reach it
    compiled = REPO / "data" / "i18n" / i18n.COMPILED.format(lang=lang)
    assert compiled.read_text("utf-8") == i18n.compile_catalog(REPO / "data" / "i18n", lang), (
        f"{compiled.name} is out of step with its sources: run scripts/compile_catalogs.py"
    )
    assert i18n.catalog(lang) == catalog_file(lang)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalog_values_are_non_empty_text(lang: str) -> None:
    def walk(tree: dict[str, object], prefix: str = "") -> None:
        for key, value in tree.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                assert isinstance(value, str), f"{prefix}{key} is not a string"
                assert value.strip(), f"{prefix}{key} is empty"

    for path in catalog_files(lang):
        walk(tomllib.loads(path.read_text("utf-8")))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_placeholders_match_between_languages() -> None:
    fr, en = catalog_file("fr"), catalog_file("en")
    for key in fr.keys() & en.keys():
        assert _fields(fr[key]) == _fields(en[key]), key


# -- keys used by the code -----------------------------------------------------------------------


def _is_t(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "t") or (
        isinstance(func, ast.Attribute) and func.attr == "t"
    )


def _keys_in(arg: ast.expr) -> tuple[set[str], set[str]]:
    """(whole keys, prefixes) the first argument of a t() call can produce."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return {arg.value}, set()
    if isinstance(arg, ast.IfExp):
        k1, p1 = _keys_in(arg.body)
        k2, p2 = _keys_in(arg.orelse)
        return k1 | k2, p1 | p2
    if (
        isinstance(arg, ast.BinOp)
        and isinstance(arg.op, ast.Add)
        and isinstance(arg.left, ast.Constant)
        and isinstance(arg.left.value, str)
    ):
        return set(), {arg.left.value}
    if isinstance(arg, ast.JoinedStr) and arg.values:
        first = arg.values[0]
        if len(arg.values) == 1 and isinstance(first, ast.Constant):
            return {str(first.value)}, set()
        if isinstance(first, ast.Constant):
            return set(), {str(first.value)}
    return set(), set()


def used_keys(sources: list[Path] = SOURCES) -> tuple[set[str], set[str], list[str]]:
    keys: set[str] = set()
    prefixes: set[str] = set()
    unresolved: list[str] = []
    for path in sources:
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_t(node.func) and node.args:
                k, p = _keys_in(node.args[0])
                keys |= k
                prefixes |= p
                if not k and not p and not isinstance(node.args[0], ast.Name):
                    unresolved.append(f"{path.name}:{node.lineno}")
    return keys, prefixes, unresolved


def test_the_code_asks_for_keys_through_t() -> None:
    keys, prefixes, _ = used_keys()
    assert len(keys) > 30
    assert {"export.shared.title", "export.confidential.banner", "yes", "no"} <= keys
    assert {"status.", "session.kind.", "role.", "visibility."} <= prefixes


def test_every_literal_key_exists_in_both_languages() -> None:
    keys, prefixes, unresolved = used_keys()
    # Cross-check with a plain regex over the sources, as a reader would grep.
    grep = {
        m.group(1)
        for path in SOURCES
        for m in re.finditer(r"""\bt\(\s*["']([a-z_.0-9]+)["']""", path.read_text("utf-8"))
    }
    assert {g for g in grep if not g.endswith(".")} <= keys
    assert {g for g in grep if g.endswith(".")} <= prefixes
    for lang in i18n.LANGUAGES:
        catalog = catalog_file(lang)
        missing = sorted(k for k in keys if k not in catalog)
        assert missing == [], f"{lang}: {missing}"
    assert unresolved == [], "t() called with a key this test cannot read"


def test_every_literal_key_of_the_screens_exists_in_both_languages() -> None:
    keys, _, _ = used_keys(sorted((REPO / "screens").rglob("*.py")))
    for lang in i18n.LANGUAGES:
        catalog = catalog_file(lang)
        assert sorted(k for k in keys if k not in catalog) == [], lang


def test_keys_passed_through_variables_exist() -> None:
    """Dotted key constants held in variables (a loop over (key, text) pairs)."""
    sections = {key.split(".")[0] for key in catalog_file("en")}
    constants: set[str] = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and "." in node.value
                and KEY.fullmatch(node.value)
                and node.value.split(".")[0] in sections
                and not node.value.endswith(".")
            ):
                constants.add(node.value)
    for lang in i18n.LANGUAGES:
        catalog = catalog_file(lang)
        # a plural's stem (plural("supervision.count", n)) names its two forms
        plural_stems = {k.rpartition(".")[0] for k in catalog if k.endswith((".one", ".other"))}
        unknown = [k for k in constants if k not in catalog and k not in plural_stems]
        assert sorted(unknown) == [], lang


def test_every_prefix_used_is_known_here() -> None:
    _, prefixes, _ = used_keys()
    unknown = prefixes - ENUM_PREFIXES.keys() - NAME_PREFIXES.keys()
    assert unknown == set(), f"add these prefixes and their values to this test: {unknown}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("prefix", sorted(ENUM_PREFIXES))
def test_every_enum_value_has_its_text(prefix: str, lang: str) -> None:
    catalog = catalog_file(lang)
    enum = ENUM_PREFIXES[prefix]
    missing = [f"{prefix}{m.value}" for m in enum if f"{prefix}{m.value}" not in catalog]
    assert missing == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_named_value_has_its_text(lang: str) -> None:
    catalog = catalog_file(lang)
    for prefix, names in NAME_PREFIXES.items():
        assert [n for n in names if f"{prefix}{n}" not in catalog] == []


# -- the language itself -------------------------------------------------------------------------


def test_t_formats_and_falls_back() -> None:
    assert i18n.t("export.written", "fr", path="/tmp/x") != i18n.t("export.written", "en", path="x")
    assert "/tmp/x" in i18n.t("export.written", "fr", path="/tmp/x")
    assert i18n.t("no.such.key", "fr") == "no.such.key"
    assert i18n.t("status.withdrawn", "fr") != i18n.t("status.withdrawn", "en")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"AOI_LANG": "fr"}, "fr"),
        ({"AOI_LANG": "EN", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LC_ALL": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"AOI_LANG": "es", "LANG": "fr_BE"}, "fr"),
    ],
)
def test_language_detection(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("AOI_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert i18n.detect() == expected


def test_set_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_current", None)
    assert i18n.set_language("fr") == "fr" and i18n.language() == "fr"
    assert i18n.t("yes") == "oui"
    monkeypatch.setenv("AOI_LANG", "en")
    assert i18n.set_language("klingon") == "en"
    assert i18n.t("yes") == "yes"
