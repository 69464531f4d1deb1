"""French and English text: catalogs in `data/i18n/{fr,en}.toml`, flat keys.

French where the locale is French, English otherwise; `--lang` or `AOI_LANG`
override it. A test fails when a key is missing in one language.

Translators edit the TOML sources; the app reads `{lang}.json`, compiled from
them by `scripts/compile_catalogs.py` (as gettext compiles .po into .mo): JSON
loads in a tenth of a millisecond, where importing tomllib and parsing the
sources cost about 7 ms before the first screen. A test fails when a compiled
catalog is out of step with its sources."""

from __future__ import annotations

import json
import locale
import os
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

LANGUAGES = ("fr", "en")
LANG_ENV = "AOI_LANG"
_current: str | None = None


CATALOGS = ("{lang}.toml", "{lang}.ui.toml")
"""Per language, the sources: the core's texts (exports, messages), then the TUI's."""
COMPILED = "{lang}.json"


def catalog_folder() -> Traversable:
    return resources.files("aoi_tui.data").joinpath("i18n")


@cache
def catalog(lang: str) -> dict[str, str]:
    raw = catalog_folder().joinpath(COMPILED.format(lang=lang)).read_text("utf-8")
    loaded: dict[str, str] = json.loads(raw)
    return loaded


def compile_catalog(folder: Traversable, lang: str) -> str:
    """The compiled catalog for `lang`, from its TOML sources in `folder`: flat
    keys, sorted, one per line, so that a change reads well in a diff."""
    import tomllib  # only here: compiling is a development step

    merged: dict[str, str] = {}
    for name in CATALOGS:
        raw = folder.joinpath(name.format(lang=lang)).read_text("utf-8")
        merged.update(_flatten(tomllib.loads(raw)))
    return json.dumps(merged, ensure_ascii=False, sort_keys=True, indent=0) + "\n"


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


def plural(key: str, n: int, lang: str | None = None, **values: object) -> str:
    """The text for a count of `n`: `key.one` or `key.other`, as the language says
    (French counts 0 and 1 as one: "0 note", "1 note"; English only 1). The
    count is given to the text as {n}."""
    lang = lang or language()
    one = n in (0, 1) if lang == "fr" else n == 1
    form = f"{key}.{'one' if one else 'other'}"
    return t(form, lang, n=n, **values)
