"""The items an output could show, as the allow-list sees them.

Most are records (a note, an action, an objective, a competency, an FSAC mark,
a tool, a session standing for its attendance); two are parts of a record,
wrapped so that every item is one value: a session's message for the N+1
(`Message`) and the closing review (`Closing`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aoi_tui.domain import clock
from aoi_tui.domain.models import (
    Action,
    Assessment,
    Competency,
    Engagement,
    Note,
    Objective,
    Session,
    Tool,
)


@dataclass(frozen=True)
class Message:
    """A session's message for the N+1 (the session carries it)."""

    session: Session


@dataclass(frozen=True)
class ObjectiveProgress:
    """How far an objective has come (its status), apart from the objective: the
    N+1 may read an objective framed with them and not its progress."""

    objective: Objective


@dataclass(frozen=True)
class Closing:
    """The closing review's two texts (the engagement carries them)."""

    engagement: Engagement


Item = (
    Note
    | Action
    | Message
    | Closing
    | Objective
    | ObjectiveProgress
    | Competency
    | Assessment
    | Tool
    | Session
)
"""Every kind of item a report could show. A `Session` stands for its
attendance (number, kind, day); its message is `Message(session)`, an
objective's status `ObjectiveProgress(objective)`."""

Validated = Note | Action | Message | Closing
"""The items someone validates, for their exact text."""


def item_day(item: Validated) -> date:
    """The day an item belongs to: when a note or an action was written, the
    session's day for its message, today for the closing review (written last).
    Who was in the group that day is who validates it for the group."""
    if isinstance(item, Note | Action):
        return item.created_at.date()
    if isinstance(item, Message):
        return item.session.held_on
    return clock.today()


__all__ = ["Closing", "Item", "Message", "ObjectiveProgress", "Validated", "item_day"]
