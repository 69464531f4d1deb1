"""The words of the domain, as plain enumerations: the kinds of sessions,
notes, roles and statuses. No pydantic here, so the CLI and the first screen
can use them without loading the models."""

from __future__ import annotations

from enum import IntEnum, StrEnum

SCHEMA_VERSION = 1
"""The version every stored record carries (see migrations.py)."""


class Format(StrEnum):
    AOI = "aoi"
    COACHING = "coaching"
    SHORT = "short"


PLANNED_SESSIONS = {Format.AOI: 8, Format.COACHING: 12, Format.SHORT: 3}
"""Default planned sessions: AOI 6–8, coaching 10–20, short 2–3 (seeds 000, 002)."""


class Status(StrEnum):
    FRAMING = "framing"
    ACTIVE = "active"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class SessionKind(StrEnum):
    KICKOFF = "kickoff"
    AOI = "aoi"
    COACHING = "coaching"
    MIDPOINT = "midpoint"
    CLOSING = "closing"


class Role(StrEnum):
    MIRROR = "mirror"
    SPUR = "spur"
    MODERATOR = "moderator"
    INTEGRATOR = "integrator"


class NoteKind(StrEnum):
    OBSERVATION = "observation"
    SUCCESS = "success"
    DIFFICULTY = "difficulty"
    FEEDBACK = "feedback"
    REFLECTION = "reflection"
    ACTION = "action"


class Visibility(StrEnum):
    PRIVATE = "private"
    SHAREABLE = "shareable"


class Owner(StrEnum):
    COACHEE = "coachee"
    COACH = "coach"
    SPONSOR = "sponsor"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"
    MOVED = "moved"


class Area(StrEnum):
    """Seed 000's six areas, plus Posture for professional coaching (seeds 002, 004)."""

    SAFETY = "safety"
    QUALITY = "quality"
    COSTS = "costs"
    DEADLINES = "deadlines"
    MOTIVATION = "motivation"
    ENVIRONMENT = "environment"
    POSTURE = "posture"


class ObjectiveStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    REACHED = "reached"
    NOT_REACHED = "not_reached"
    DROPPED = "dropped"


class Level(IntEnum):
    """The FSAC level scale."""

    NOT_ACQUIRED = 1
    IN_PROGRESS = 2
    ACQUIRED = 3
    MASTERED = 4


class Assessor(StrEnum):
    SELF = "self"
    COACH = "coach"


class Timing(StrEnum):
    HOT = "hot"  # at the end of a session
    COLD = "cold"  # weeks later


class Audience(StrEnum):
    SHARED = "shared"
    CONFIDENTIAL = "confidential"
    RECAP = "recap"


class Room(StrEnum):
    """Who is in the room with the coach, which decides what the screens show.
    Collective engagements will add the group (only what the group validated)."""

    COACH = "coach"
    """The coach, with the coachee in a session: everything shows."""
    SPONSOR = "sponsor"
    """The N+1 joined (F2, the framing, the handover, the closing review): only what
    reaches the N+1 shows (`allow_list.reaches` for `Audience.SHARED`), private notes
    and drafts leave the screen. The sponsor-safe view."""


def counts_as_held(kind: SessionKind) -> bool:
    """Sessions held against sessions planned: every session but the kickoff that
    framed the engagement (the list, progress and both exports count the same way)."""
    return kind is not SessionKind.KICKOFF
