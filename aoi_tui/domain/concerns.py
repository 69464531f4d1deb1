"""Whom an item concerns: the group, one participant, or several (what plays
out between two people).

Every note, action, objective, competency, FSAC mark and message for the N+1
says it in `about` ([GROUP], or participants' ids). In an individual engagement
everything concerns its one participant, whatever `about` holds (empty, as in
every record written before collective engagements): nothing to change in old
records. In a group an item must say it: one that says nothing, or names
someone who is no participant (erased since), concerns no one the allow-list
knows and reaches no one but the coach.

A typed text also says it: an item whose text names a participant with an
`@prefix` concerns them, whatever the record holds (`_with_whom_it_names`: the
live input's rule, for records a command line or an older version wrote).
`@group` (or `@groupe`, as the French notes list says it) names the group, in
either language, unless a participant's id or name starts with the word: then
it is refused with the candidates, the group among them (`mentioned`).

Who an item concerns by default is decided when it is written
(`default_about`): the participant of a one-to-one session; in a peer session,
the case-bringer for what is said in the case's phases (the case is theirs);
the group in any other collective session."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from aoi_tui.config.i18n import t
from aoi_tui.domain.items import Closing, Item, Message, ObjectiveProgress
from aoi_tui.domain.models import (
    GROUP,
    Action,
    Assessment,
    Competency,
    Engagement,
    Note,
    Objective,
    Session,
    SessionKind,
    Tool,
)
from aoi_tui.domain.participants import NoSuchParticipant, Participant, find_participant
from aoi_tui.domain.phases import case_phase
from aoi_tui.domain.text import fold


@dataclass(frozen=True)
class Concern:
    """Whom an item concerns: the group, or some participants (by id), or
    neither (said nowhere, or someone no longer in the engagement)."""

    group: bool = False
    people: frozenset[str] = field(default_factory=frozenset)

    @property
    def nobody(self) -> bool:
        return not self.group and not self.people


THE_GROUP = Concern(group=True)
NOBODY = Concern()


def about_of(item: Item) -> list[str] | None:
    """What the item says it concerns; None for what says nothing of anyone (a
    tool, a session's attendance)."""
    if isinstance(item, Note | Action | Objective | Competency | Assessment):
        return item.about
    if isinstance(item, ObjectiveProgress):
        return item.objective.about
    if isinstance(item, Message):
        return item.session.message_about
    if isinstance(item, Closing):
        return [GROUP]
    return None


def concerned(item: Item, engagement: Engagement) -> Concern:
    """Whom `item` concerns in `engagement`. A session stands for its attendance:
    it concerns whoever it records (the participant of a one-to-one, or those
    present); a tool concerns the group (a practice, nobody in particular)."""
    if engagement.individual:
        one = engagement.participants[0].id
        about = about_of(item) or []
        if all(a in (one, GROUP) for a in about):
            return Concern(people=frozenset({one}))
        return NOBODY
    if isinstance(item, Tool):
        return THE_GROUP
    if isinstance(item, Session):
        present = [item.participant] if item.participant else (item.attendance or [])
        return _people(present, engagement)
    about = about_of(item) or []
    said = THE_GROUP if about == [GROUP] else _people(about, engagement)
    return _with_whom_it_names(item, said, engagement)


def _with_whom_it_names(item: Item, said: Concern, engagement: Engagement) -> Concern:
    """Whom an item concerns once the `@prefix`es of its text are counted, whatever
    the record says (a command line, an older version, a file wrote it): as in a
    live session, a group item that names someone with @ is theirs, and an item
    about people also concerns those its @ names. So each of them validates it
    before it reaches anyone, and their shorthand is spoken as their name or not
    at all (`spoken`). An @ naming several people concerns no one the allow-list
    knows (a person is never guessed); one naming no one is no one's shorthand."""
    text = _typed(item)
    if "@" not in text or said.nobody:
        return said
    named: set[str] = set()
    for match in MENTION.finditer(text):
        query = match.group(1)
        if says_the_group(query):  # the group, or (if someone's name starts so) no one known
            if _starting_with(engagement.participants, query):
                return NOBODY
            continue
        try:
            named.add(find_participant(engagement.participants, query).id)
        except NoSuchParticipant:
            if _candidates(engagement.participants, query):
                return NOBODY
    if not named:
        return said
    return Concern(people=frozenset(named if said.group else said.people | named))


def _typed(item: Item) -> str:
    """The text the coach typed for an item that holds one (a note, an action, the
    message for the N+1)."""
    if isinstance(item, Note | Action):
        return item.text
    if isinstance(item, Message):
        return item.session.sponsor_message
    return ""


def _candidates(participants: Sequence[Participant], query: str) -> bool:
    """Whether an `@prefix` that names no one in particular may name several (a
    prefix of several ids or names), rather than no one."""
    return bool(_starting_with(participants, query))


def _starting_with(participants: Sequence[Participant], query: str) -> list[Participant]:
    """The participants whose id or name starts with `query` (case and accents aside)."""
    folded = fold(query)
    return [
        p for p in participants if p.id.startswith(query.lower()) or fold(p.name).startswith(folded)
    ]


GROUP_WORDS = frozenset({"group", "groupe"})
"""`@group`, `@groupe`: the group, as the notes list says it in English and in
French. Both in either language: a text means the same whichever language a
document is read in."""


def says_the_group(query: str) -> bool:
    """Whether an `@prefix` is the group's word (case and accents aside)."""
    return fold(query) in GROUP_WORDS


def _people(ids: list[str], engagement: Engagement) -> Concern:
    known = {p.id for p in engagement.participants}
    if not ids or any(i not in known for i in ids):
        return NOBODY
    return Concern(people=frozenset(ids))


def default_about(engagement: Engagement, session: Session, phase: str | None) -> list[str]:
    """Whom an item written in `session`, during `phase`, concerns unless the
    coach says otherwise."""
    if engagement.individual:
        return []
    if session.participant:
        return [session.participant]
    if (
        session.kind is SessionKind.PEER
        and session.case_bringer
        and phase is not None
        and case_phase(session.kind.value, phase)
    ):
        return [session.case_bringer]
    if session.collective:
        return [GROUP]
    return []


def with_the_case_bringer(about: list[str], session: Session, phase: str | None) -> list[str]:
    """Whom a note about people concerns once whose words they are is counted: in
    a peer session's case phases the case belongs to its bringer, and in a
    group's one-to-one session what is said is its participant's; so a peer named
    there is added to them, never put in their place (the case, or what Claire
    said of Bruno alone with the coach, would reach Bruno's N+1 on his word
    alone). The group, or no one, stays as it is."""
    owner = session.participant
    if owner is None and phase is not None and case_phase(session.kind.value, phase):
        owner = session.case_bringer
    if owner is None or about in ([], [GROUP]) or owner in about:
        return about
    return [owner, *about]


MENTION = re.compile(r"(?<![\w@])@([\w-]+)")
"""A person named in a note as typed in a live session: `@cla` for Claire."""


def mentioned(
    text: str, participants: Sequence[Participant]
) -> tuple[list[Participant], list[str]]:
    """The participants a note names with `@prefix` (an id, a unique prefix of an
    id, a unique prefix of a name: `find_participant`), each once, and what is
    wrong with the others (no one, or several: the candidates are said). The
    group's word (`@group`, `@groupe`: `names_the_group`) is no one's, and no
    problem unless a participant's id or name starts with it: the group or them,
    never guessed, so refused with both."""
    found: list[Participant] = []
    problems: list[str] = []
    for match in MENTION.finditer(text):
        if says_the_group(match.group(1)):
            them = _starting_with(participants, match.group(1))
            if them:
                problems.append(
                    t(
                        "about.group_or_someone",
                        query=match.group(1),
                        candidates=", ".join(f"{p.name} ({p.id})" for p in them),
                    )
                )
            continue
        try:
            p = find_participant(participants, match.group(1))
        except NoSuchParticipant as exc:
            # where to look next said where the @ is typed (a screen, or aoi note add),
            # not `aoi participant list`, which no screen offers
            unknown = not _starting_with(participants, match.group(1))
            problems.append(t("about.no_one", query=match.group(1)) if unknown else str(exc))
            continue
        if p not in found:
            found.append(p)
    return found, problems


def names_the_group(text: str, participants: Sequence[Participant]) -> bool:
    """Whether a note says with `@group` (or `@groupe`) that it is the group's: the
    word typed, and no participant's id or name starting with it."""
    return any(
        says_the_group(m.group(1)) and not _starting_with(participants, m.group(1))
        for m in MENTION.finditer(text)
    )


LEADING = re.compile(r"(?:\s*@[\w-]+[\s,;:—–-]*)+")
"""The `@prefix`es a note starts with, and what separates them from the text."""


def spoken(text: str, concerned: Sequence[Participant]) -> str:
    """A note's text as someone other than the coach reads it: an `@prefix` is
    the coach's shorthand for whom it concerns, which the document says in words
    beside it. Those the note starts with go; one inside a sentence becomes the
    name (`@group`: "the group", in the document's language). Resolved among
    `concerned` only (a prefix never names anyone else); one that names none of
    them stays as typed."""

    def name(match: re.Match[str]) -> str | None:
        try:
            return find_participant(concerned, match.group(1)).name
        except NoSuchParticipant:
            return t("about.the_group") if says_the_group(match.group(1)) else None

    lead = LEADING.match(text)
    if lead and all(name(m) for m in MENTION.finditer(lead.group())) and text[lead.end() :]:
        text = text[lead.end() :]
    return MENTION.sub(lambda m: name(m) or m.group(), text)


def named_in(text: str, participants: Sequence[Participant]) -> list[Participant]:
    """The participants whose name, or a part of it of three letters or more, is a
    word of `text` (case and accents aside): a group item that names someone is
    flagged, it may be about them rather than the group. An `@prefix` that names
    one of them counts too (`@cla` typed in a note said to be the group's)."""
    words = set(re.findall(r"\w+", fold(text)))
    at: set[str] = set()
    for match in MENTION.finditer(text):
        if says_the_group(match.group(1)):
            continue  # the group's word (or, if it starts a name too, refused as it is typed)
        try:
            at.add(find_participant(participants, match.group(1)).id)
        except NoSuchParticipant:
            continue  # names no one, or several: nobody in particular
    return [
        p
        for p in participants
        if p.id in at
        or any(len(part) >= 3 and part in words for part in re.findall(r"\w+", fold(p.name)))
    ]


__all__ = [
    "GROUP_WORDS",
    "MENTION",
    "NOBODY",
    "THE_GROUP",
    "Concern",
    "about_of",
    "concerned",
    "default_about",
    "mentioned",
    "named_in",
    "names_the_group",
    "says_the_group",
    "spoken",
    "with_the_case_bringer",
]
