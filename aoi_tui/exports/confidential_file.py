"""The coach's confidential file: everything recorded in one engagement."""

from __future__ import annotations

from aoi_tui.domain.models import (
    Action,
    Assessment,
    Competency,
    Engagement,
    ExportRecord,
    Model,
    Note,
    Objective,
    Session,
    Tool,
)
from aoi_tui.store.engagement_file import EngagementFile


class ConfidentialFile(Model):
    engagement: Engagement
    objectives: list[Objective]
    competencies: list[Competency]
    assessments: list[Assessment]
    sessions: list[Session]
    notes: list[Note]
    actions: list[Action]
    tools: list[Tool]
    exports: list[ExportRecord]


def build_confidential_file(ef: EngagementFile) -> ConfidentialFile:
    return ConfidentialFile(
        engagement=ef.engagement(),
        objectives=ef.objectives(),
        competencies=ef.competencies(),
        assessments=ef.all_assessments(),
        sessions=ef.sessions(),
        notes=ef.notes(),
        actions=ef.actions(),
        tools=ef.tools(),
        exports=sorted(ef.all(ExportRecord), key=lambda e: e.at),
    )
