"""A group's objectives' progress in the report for an N+1 (issue 13 §3, §4): an
objective's status goes where the objective goes, and only where everyone it
concerns agreed to report objectives' progress; a group objective's only when
every participant still in the group agreed. The N+1 grants nothing: only the
participants' own agreements count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aoi_tui.cli import parser as cli
from aoi_tui.domain.models import (
    GROUP,
    Agreement,
    Audience,
    Engagement,
    Form,
    Objective,
    ObjectiveStatus,
    Participant,
)
from aoi_tui.exports import group_documents as docs
from aoi_tui.exports.group_export import build_group_export
from aoi_tui.exports.group_markdown import group_report_markdown
from aoi_tui.store.store import Store
from tests.support import PASSPHRASE
from tests.test_group_confidentiality import START, InMemory

TEAM_GOAL = "Passations en moins de dix minutes"
ALBANE_GOAL = "Un briefing clair"


class WithObjectives(InMemory):
    objectives_: list[Objective]

    def objectives(self) -> list[Any]:
        return self.objectives_


def team(progress: tuple[bool, bool], *, withdrawn: bool = False) -> WithObjectives:
    people = [
        Participant(
            name=name,
            joined_on=START,
            agreement=Agreement(consent_date=START, report_objective_status=flag),
            report_own_items=True,
        )
        for name, flag in zip(("Albane Quirin", "Basile Ortolan"), progress, strict=True)
    ]
    if withdrawn:
        people[1].withdrawn_on = START
    eng = Engagement(form=Form.TEAM, group="Zeta", sponsor="Anne Blanc", participants=people)
    ef = WithObjectives(eng, [], [])
    ef.objectives_ = [
        Objective(statement=TEAM_GOAL, about=[GROUP], status=ObjectiveStatus.IN_PROGRESS),
        Objective(statement=ALBANE_GOAL, about=[people[0].id], status=ObjectiveStatus.REACHED),
    ]
    return ef


def statuses(ef: WithObjectives) -> dict[str, ObjectiveStatus | None]:
    report = docs.build_group_report(ef, "Anne Blanc")  # type: ignore[arg-type]
    return {o.statement: o.status for o in report.objectives}


def test_progress_reaches_the_n1_only_where_everyone_it_concerns_agreed() -> None:
    # nobody agreed: the objectives, framed together, without how far they came
    assert statuses(team((False, False))) == {TEAM_GOAL: None, ALBANE_GOAL: None}
    # Albane agreed: her own objective's progress; the group's needs Basile too
    assert statuses(team((True, False))) == {TEAM_GOAL: None, ALBANE_GOAL: ObjectiveStatus.REACHED}
    both = statuses(team((True, True)))
    assert both == {TEAM_GOAL: ObjectiveStatus.IN_PROGRESS, ALBANE_GOAL: ObjectiveStatus.REACHED}
    # Basile withdrew: the group is Albane now, and she agreed
    gone = statuses(team((True, False), withdrawn=True))
    assert gone[TEAM_GOAL] is ObjectiveStatus.IN_PROGRESS


def test_progress_is_written_in_words_in_every_format() -> None:
    ef = team((True, True))
    report = docs.build_group_report(ef, "Anne Blanc")  # type: ignore[arg-type]
    assert "Progress: in progress" in group_report_markdown(report, "en")
    assert "Avancement\xa0: en cours" in group_report_markdown(report, "fr")
    assert '"status": "in_progress"' in report.model_dump_json(indent=1).replace('":"', '": "')
    hidden = docs.build_group_report(team((False, False)), "Anne Blanc")  # type: ignore[arg-type]
    assert "Progress" not in group_report_markdown(hidden, "en")


def test_the_cli_records_a_participant_s_agreement_to_report_progress(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [
        Participant(name="Albane Quirin", joined_on=START, agreement=Agreement(consent_date=START))
    ]
    eng = Engagement(form=Form.TEAM, group="Zeta", sponsor="Anne Blanc", participants=people)
    ef = store.create_engagement(eng)
    ef.insert(Objective(statement=TEAM_GOAL, about=[GROUP], status=ObjectiveStatus.REACHED))
    monkeypatch.setenv("AOI_PASSPHRASE", PASSPHRASE)

    def report() -> str:
        return build_group_export(store, ef.id, Audience.SHARED, "md", "en").content

    assert TEAM_GOAL in report() and "Progress" not in report()
    argv = ["--data-dir", str(store.root), "participant", "report", ef.id, "alb"]
    assert cli.main([*argv, "--objectives", "yes"]) == 0
    assert "Progress: reached" in report()
    assert cli.main([*argv, "--objectives", "no"]) == 0
    assert "Progress" not in report()
