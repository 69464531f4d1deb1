"""French and English text: catalogs in `data/i18n/{fr,en}.toml`, flat keys.

French where the locale is French, English otherwise; `--lang` or `AOI_LANG`
override it. A test fails when a key is missing in one language."""

from __future__ import annotations

import locale
import os
import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("fr", "en")
LANG_ENV = "AOI_LANG"
_current: str | None = None


CATALOGS = ("{lang}.toml", "{lang}.ui.toml")
"""Per language: the core's texts (exports, messages), then the TUI's."""


@cache
def catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    folder = resources.files("aoi_tui.data").joinpath("i18n")
    for name in CATALOGS:
        raw = folder.joinpath(name.format(lang=lang)).read_text("utf-8")
        merged.update(_flatten(tomllib.loads(raw)))
    return merged


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def detect() -> str:
    """The language from `AOI_LANG`, then the locale; English if neither is French."""
    env = os.environ.get(LANG_ENV, "").strip().lower()
    if env in LANGUAGES:
        return env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    loc = locale.getlocale()[0] or ""
    return "fr" if loc.lower().startswith("fr") else "en"


def set_language(lang: str | None) -> str:
    global _current
    _current = lang if lang in LANGUAGES else detect()
    return _current


def language() -> str:
    return _current or set_language(None)


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The text for `key`; a missing key shows as itself rather than crash."""
    text = catalog(lang or language()).get(key) or catalog("en").get(key) or key
    return text.format(**values) if values else text
