"""Golden files: the team demo's documents, as its N+1 and its people read them.

`tests/golden_group/` holds, in French and English, the team demo's report for
its N+1 (objectives with their progress, all five having agreed to report it), the
group's recap of its last session and Léa's own, in Markdown and JSON. This
test rebuilds them with the clock fixed and compares them byte for byte; JSON
ids are replaced as in `test_export_golden.py`.

After a deliberate change to a group's exports, regenerate and read the diff:

    AOI_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_export_golden_group.py
    git diff tests/golden_group/
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aoi_tui import demo
from aoi_tui.config.i18n import LANGUAGES
from aoi_tui.domain.clock import NOW_ENV
from aoi_tui.domain.models import Audience
from aoi_tui.exports.group_export import build_group_export
from aoi_tui.store.store import Store
from tests.support import FIXED_NOW
from tests.test_export_golden import UPDATE, normalise_ids

GOLDEN = Path(__file__).resolve().parent / "golden_group"
DOCUMENTS = ("report", "recap", "recap-lea")


@pytest.fixture
def team_exports(store: Store, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv(NOW_ENV, FIXED_NOW)
    eid, _ = demo.create_group_demo(store)
    ef = store.engagement(eid)
    team = ef.engagement()
    for p in team.participants:  # all five agree to report objectives' progress
        p.agreement = p.agreement.model_copy(update={"report_objective_status": True})
    ef.update(team)
    last = max(s.number for s in ef.sessions())
    lea = next(p.id for p in ef.engagement().participants if p.name.startswith("Léa"))
    made = {
        "report": (Audience.SHARED, None, None),
        "recap": (Audience.RECAP, last, None),
        "recap-lea": (Audience.RECAP, last, lea),
    }
    out = {}
    for name, (audience, session, participant) in made.items():
        for lang in LANGUAGES:
            for fmt in ("md", "json"):
                content = build_group_export(
                    store, eid, audience, fmt, lang, session, participant=participant
                ).content
                out[f"{name}.{lang}.{fmt}"] = normalise_ids(content) if fmt == "json" else content
    return out


def test_the_team_demo_s_documents_match_the_golden_files(team_exports: dict[str, str]) -> None:
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        for stale in {p.name for p in GOLDEN.iterdir()} - set(team_exports):
            (GOLDEN / stale).unlink()
        for name, content in team_exports.items():
            (GOLDEN / name).write_text(content, "utf-8", newline="\n")
    on_disk = sorted(p.name for p in GOLDEN.iterdir())
    assert on_disk == sorted(team_exports), "golden files missing or stale: AOI_UPDATE_GOLDEN=1"
    changed = [
        name
        for name, content in sorted(team_exports.items())
        if (GOLDEN / name).read_text("utf-8") != content
    ]
    assert changed == [], (
        f"a group's exports differ from tests/golden_group/ ({', '.join(changed)}): if the "
        "change is intended, regenerate with AOI_UPDATE_GOLDEN=1 and read the diff"
    )


def test_the_golden_report_holds_the_team_s_progress_and_nothing_withheld() -> None:
    """What the golden files are for, read in them: the objectives' progress the
    five agreed to report; what Sophie withheld and the private notes absent."""
    report = (GOLDEN / "report.fr.md").read_text("utf-8")
    assert "Avancement\xa0: en cours" in report
    for absent in ("planning des réglages", "Tension entre Léa et Thomas", "mise à l'écart"):
        assert absent not in report
    assert '"status": "in_progress"' in (GOLDEN / "report.en.json").read_text("utf-8")
