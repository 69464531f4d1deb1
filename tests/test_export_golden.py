"""Golden files: the demo engagement's exports, as a coach and a sponsor read them.

`tests/golden/` holds, in French and English, the demo engagement's shared
report, confidential file and the recap of its last session, each in Markdown,
HTML and JSON (18 files). This test rebuilds them with the clock fixed
(`AOI_NOW`, the suite's FIXED_NOW) and compares them byte for byte.

The record ids are random (`aoi_tui.domain.ids.new_id`), and the confidential JSON
holds them: they are replaced, in both the golden file and the comparison, by
`<id-1>`, `<id-2>`, … in order of first appearance (every `id` and `*_id`
field), so a reference between records (an assessment's `competency_id`)
still shows.

After a deliberate change to the exports, regenerate the files and read the
diff before committing it:

    AOI_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_export_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from aoi_tui import demo
from aoi_tui.config.i18n import LANGUAGES
from aoi_tui.domain.clock import NOW_ENV
from aoi_tui.domain.models import Audience
from aoi_tui.exports.writing import FORMATS, build_export
from aoi_tui.store.store import Store
from tests.support import FIXED_NOW

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("AOI_UPDATE_GOLDEN") == "1"
CASES = [
    (audience, lang, fmt)
    for audience in (Audience.SHARED, Audience.CONFIDENTIAL, Audience.RECAP)
    for lang in LANGUAGES
    for fmt in FORMATS
]


def golden_name(audience: Audience, lang: str, fmt: str) -> str:
    return f"{audience.value}.{lang}.{fmt}"


def normalise_ids(content: str) -> str:
    """JSON with every record id replaced by a stable placeholder."""
    seen: dict[str, str] = {}

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (
                    seen.setdefault(v, f"<id-{len(seen) + 1}>")
                    if (k == "id" or k.endswith("_id")) and isinstance(v, str)
                    else walk(v)
                )
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return json.dumps(walk(json.loads(content)), ensure_ascii=False, indent=2) + "\n"


@pytest.fixture
def demo_exports(store: Store, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv(NOW_ENV, FIXED_NOW)
    eid, _ = demo.create_demo(store)
    last = max(s.number for s in store.engagement(eid).sessions())
    out = {}
    for audience, lang, fmt in CASES:
        session = last if audience is Audience.RECAP else None
        content = build_export(store, eid, audience, fmt, lang, session).content
        if fmt == "json":
            content = normalise_ids(content)
        out[golden_name(audience, lang, fmt)] = content
    return out


def test_demo_exports_match_the_golden_files(demo_exports: dict[str, str]) -> None:
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        for stale in set(p.name for p in GOLDEN.iterdir()) - set(demo_exports):
            (GOLDEN / stale).unlink()
        for name, content in demo_exports.items():
            (GOLDEN / name).write_text(content, "utf-8", newline="\n")
    on_disk = sorted(p.name for p in GOLDEN.iterdir())
    assert on_disk == sorted(demo_exports), "golden files missing or stale: AOI_UPDATE_GOLDEN=1"
    changed = [
        name
        for name, content in sorted(demo_exports.items())
        if (GOLDEN / name).read_text("utf-8") != content
    ]
    assert changed == [], (
        f"exports differ from tests/golden/ ({', '.join(changed)}): if the change is "
        "intended, regenerate with AOI_UPDATE_GOLDEN=1 and read the diff"
    )


def test_golden_ids_are_normalised_consistently(demo_exports: dict[str, str]) -> None:
    doc = json.loads(demo_exports["confidential.fr.json"])
    competency_ids = {c["id"] for c in doc["competencies"]}
    assert competency_ids and all(i.startswith("<id-") for i in competency_ids)
    # An assessment still names its competency after normalisation.
    assert {a["competency_id"] for a in doc["assessments"]} == competency_ids
    # Nothing else looks like a random id (12 characters of Crockford base32).
    assert not any(
        isinstance(v, str)
        and len(v) == 12
        and v.isalnum()
        and v.islower()
        and any(c.isdigit() for c in v)
        for v in _values(doc)
    )


def _values(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _values(v)]
    if isinstance(value, list):
        return [x for v in value for x in _values(v)]
    return [value]
