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


class Form(StrEnum):
    """Who is accompanied: one person, a team with its N+1, or a group of peers
    from several teams (each with their own N+1, or none)."""

    INDIVIDUAL = "individual"
    TEAM = "team"
    PEERS = "peers"


GROUP = "group"
"""What an item concerns when it concerns the whole group (`about`, `--about group`),
beside the ids of the participants it concerns."""


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
    # collective engagements (phases in data/phases.toml)
    GROUP_KICKOFF = "group_kickoff"
    TEAM_AOI = "team_aoi"
    PEER = "peer"
    GROUP_CLOSING = "group_closing"


INDIVIDUAL_KINDS = (
    SessionKind.KICKOFF,
    SessionKind.AOI,
    SessionKind.COACHING,
    SessionKind.MIDPOINT,
    SessionKind.CLOSING,
)
"""The kinds of a session with one person: every session of an individual
engagement, and a one-to-one session inside a group's."""

COLLECTIVE_KINDS = (
    SessionKind.GROUP_KICKOFF,
    SessionKind.TEAM_AOI,
    SessionKind.PEER,
    SessionKind.GROUP_CLOSING,
)
"""The kinds of a session held with the group (attendance is taken)."""


def session_kinds_for(form: Form) -> tuple[SessionKind, ...]:
    """The kinds of session an engagement of `form` may hold: a group holds
    collective sessions and one-to-one sessions with one participant."""
    if form is Form.INDIVIDUAL:
        return INDIVIDUAL_KINDS
    other = SessionKind.PEER if form is Form.TEAM else SessionKind.TEAM_AOI
    return tuple(k for k in COLLECTIVE_KINDS if k is not other) + INDIVIDUAL_KINDS


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
    """Who reads what leaves the coach's screen (`allow_list.reaches`)."""

    SHARED = "shared"
    """The N+1's report (and the sponsor-safe view): the engagement's N+1; in a
    peer group, one N+1 at a time (`allow_list.ForSponsor`)."""
    CONFIDENTIAL = "confidential"
    """The coach's own file: everything."""
    RECAP = "recap"
    """The recap of a session for the person coached; in a group, for one
    participant (`allow_list.ForParticipant`)."""
    GROUP_RECAP = "group_recap"
    """The recap of a collective session for the group."""
    GROUP_ROOM = "group_room"
    """The group-safe view: what may show while the group is in the room."""
    SUPERVISION = "supervision"
    """A case for the coach's supervisor, pseudonymised (`exports/supervision_case`):
    never through the allow-list, which it does not ask."""
    SUBJECT_ACCESS = "subject_access"
    """A person's own data, on their request (GDPR art. 15: `exports/subject_access`):
    never through the allow-list, which it does not ask."""
    PROGRAMME = "programme"
    """A programme's feed (issue 14: `programme/sending`): codes and numbers under
    random keys, for the people who agreed to programme statistics, encrypted to
    the programme lead; never through the allow-list, which it does not ask."""


class Room(StrEnum):
    """Who is in the room with the coach, which decides what the screens show."""

    COACH = "coach"
    """The coach, with the coachee in a session: everything shows."""
    SPONSOR = "sponsor"
    """The N+1 joined (F2, the framing, the handover, the closing review): only what
    reaches the N+1 shows (`allow_list.reaches` for `Audience.SHARED`), private notes
    and drafts leave the screen. The sponsor-safe view."""
    GROUP = "group"
    """The group of a collective engagement: only what concerns the group shows
    (`allow_list.reaches` for `Audience.GROUP_ROOM`), nothing about one person.
    The group-safe view."""


def counts_as_held(kind: SessionKind) -> bool:
    """Sessions held against sessions planned: every session but the kickoff that
    framed the engagement (the list, progress and both exports count the same way)."""
    return kind not in (SessionKind.KICKOFF, SessionKind.GROUP_KICKOFF)


def collective(kind: SessionKind) -> bool:
    """A session held with the group (attendance is taken), not with one person."""
    return kind in COLLECTIVE_KINDS
