"""The feed: what may leave a coach's store for a programme, as codes and
numbers only, never a text typed in aoi. Its JSON Schema is generated from the
models below and kept in `docs/programme-feed.schema.json` (a test holds the two
together; `docs/programme-feed.md` explains each field).

Who is behind an engagement is said only by random keys drawn per programme
(`ProgrammeBook.keys`), stable from one feed to the next so that the lead's
report counts distinct people and sees what changed, never derived from the
store's own ids. A feed is pseudonymised personal data, not anonymous data: it is
encrypted to the programme lead's age key, and says so in its header."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from aoi_tui.domain.vocabulary import Area, Format, Level, ObjectiveStatus, SessionKind, Status
from aoi_tui.programme import age
from aoi_tui.programme.definition import ID_PATTERN, Programme, ProgrammeError

FEED_FORMAT: Literal["aoi-programme-feed"] = "aoi-programme-feed"
FEED_VERSION: Literal[1] = 1
NoticeText = Literal[
    "Pseudonymised personal data (GDPR art. 4(5)), not anonymous data: random keys "
    "stand for engagements and people. Encrypted to the programme lead; keep it so."
]
NOTICE: NoticeText = (
    "Pseudonymised personal data (GDPR art. 4(5)), not anonymous data: random keys "
    "stand for engagements and people. Encrypted to the programme lead; keep it so."
)
MAX_PEOPLE = 100
MAX_FEED_ENGAGEMENTS = 20_000

Key = Annotated[str, Field(pattern=ID_PATTERN)]
Period = Annotated[int, Field(ge=1, le=1200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedSession(Strict):
    """A session held: its kind, the period it was held in, and for an AOI
    session whether the handover to the N+1 took place (null for other kinds)."""

    kind: SessionKind
    period: Period
    handover: bool | None = None


class FeedObjective(Strict):
    area: Area | None
    status: ObjectiveStatus


class FeedCompetency(Strict):
    """FSAC levels (1 not acquired to 4 mastered) of one competency of the
    programme's referential: at the start and the latest assessed by the coach,
    and the person's own latest self-assessment at the end of a session (hot) and
    weeks later (cold)."""

    competency: str = Field(pattern="^[a-z0-9-]{1,60}$")
    start: Level | None
    latest: Level | None
    self_hot: Level | None = None
    self_cold: Level | None = None


class FeedEvaluation(Strict):
    """The person's own evaluation of their sessions, on the fixed five-point
    scale (1 to 5): the latest at the end of a session (hot); `cold` stays null,
    as aoi records no session evaluation weeks later (cold self-evaluations are
    per competency: `FeedCompetency.self_cold`)."""

    hot: int | None = Field(default=None, ge=1, le=5)
    cold: int | None = Field(default=None, ge=1, le=5)


class FeedPerson(Strict):
    """One person who agreed to programme statistics. `objectives` and
    `competencies` are null where their agreement does not allow them."""

    key: Key
    objectives: tuple[FeedObjective, ...] | None = None
    competencies: tuple[FeedCompetency, ...] | None = None
    evaluation: FeedEvaluation | None = None


class FeedEngagement(Strict):
    key: Key
    site: str | None = Field(pattern="^S[0-9]{2,3}$")
    """The site's code in the programme file; null for a peer group spanning
    several sites (counted at programme level only)."""
    format: Format
    form: Literal["individual", "team", "peers"]
    people: int = Field(ge=1, le=MAX_PEOPLE)
    start_period: Period | None
    """The period of the kickoff, else of the first session; null before either."""
    status: Status
    sessions_planned: int = Field(ge=1, le=60)
    sessions: tuple[FeedSession, ...]
    kickoff_held: bool
    closing_held: bool
    cadence_days: int = Field(ge=1, le=365)
    cadence_kept: bool
    """No gap between two sessions held longer than the agreed cadence."""
    participants: tuple[FeedPerson, ...] = Field(min_length=1, max_length=MAX_PEOPLE)


class Feed(Strict):
    format: Literal["aoi-programme-feed"] = FEED_FORMAT
    version: Literal[1] = FEED_VERSION
    notice: NoticeText = NOTICE
    programme: Key
    coach: Key
    """A random key for the coach, drawn when the coach joined the programme."""
    written_at: datetime
    """When the feed was written (UTC, to the second): a coach's latest feed
    replaces the earlier ones."""
    engagements: tuple[FeedEngagement, ...] = Field(max_length=MAX_FEED_ENGAGEMENTS)


def feed_schema() -> dict[str, Any]:
    """The feed's JSON Schema (draft 2020-12), as published in docs/."""
    schema = Feed.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:aoi:programme-feed:{FEED_VERSION}",
        **schema,
    }


def check_against(feed: Feed, programme: Programme, where: str) -> None:
    """What the schema cannot say: the feed's codes are the programme's."""
    sites = set(programme.site_codes)
    competencies = set(programme.referential.competencies)
    seen: set[str] = set()
    for e in feed.engagements:
        if e.site is not None and e.site not in sites:
            raise ProgrammeError(f"{where}: engagement {e.key}: no site {e.site} in the programme")
        if e.people != len(e.participants):
            raise ProgrammeError(f"{where}: engagement {e.key}: people and participants differ")
        if e.form == "individual" and e.people != 1:
            raise ProgrammeError(f"{where}: engagement {e.key}: an individual one has one person")
        if e.site is None and e.form != "peers":
            raise ProgrammeError(
                f"{where}: engagement {e.key}: only a peer group may span several sites"
            )
        for key in (e.key, *(p.key for p in e.participants)):
            if key in seen:
                raise ProgrammeError(f"{where}: key {key} appears twice")
            seen.add(key)
        for p in e.participants:
            for c in p.competencies or ():
                if c.competency not in competencies:
                    raise ProgrammeError(
                        f"{where}: competency {c.competency!r} is not in the programme's "
                        f"referential {programme.referential.id!r}"
                    )


def dumps(feed: Feed) -> bytes:
    return (
        json.dumps(feed.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode("utf-8")


def clear_text(feed: Feed) -> str:
    """The feed in clear, indented: what the coach sees before it leaves."""
    return json.dumps(feed.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def seal_feed(feed: Feed, programme: Programme) -> bytes:
    """The feed encrypted to the programme lead, behind its plain header."""
    header = {
        "aoi programme feed": "pseudonymised personal data (GDPR), not anonymous; "
        "encrypted to the programme lead alone",
        "programme": feed.programme,
        "schema": str(feed.version),
    }
    return age.seal(header, dumps(feed), programme.lead_key)


def parse_feed(plain: bytes, programme: Programme, where: str) -> Feed:
    """A decrypted feed, checked: format, version, programme, schema, codes."""
    try:  # a sound feed in one pass; any problem is then said field by field below
        fast = Feed.model_validate_json(plain)
    except ValidationError:
        pass
    else:
        if fast.programme == programme.id:
            check_against(fast, programme, where)
            return _parts_once(fast)
    try:
        raw = json.loads(plain)
    except ValueError:
        raise ProgrammeError(f"{where}: not a feed (not JSON)") from None
    if not isinstance(raw, dict) or raw.get("format") != FEED_FORMAT:
        raise ProgrammeError(f"{where}: not an aoi programme feed")
    _check_version(raw.get("version"), where)
    if raw.get("programme") != programme.id:
        raise ProgrammeError(
            f"{where}: a feed of another programme ({raw.get('programme')!r}), "
            f"not of {programme.name!r} ({programme.id})"
        )
    from aoi_tui.domain.problems import first_problem

    try:
        feed = Feed.model_validate(raw)
    except ValidationError as exc:
        raise ProgrammeError(f"{where}: {first_problem(exc)}") from None
    check_against(feed, programme, where)
    return _parts_once(feed)


def _parts_once(feed: Feed) -> Feed:
    """The feed with each distinct session, objective, competency and evaluation
    kept once: a coach's thousands of them are a few hundred distinct ones, and
    each model costs ~600 bytes (a 5,000-engagement programme's feeds took ~49 MiB,
    most of a report's memory). They are frozen, so shareable; each tuple is
    replaced by an equal one in the models just validated, before anyone holds
    them (`model_copy` of each took more time than the whole validation)."""
    seen: dict[tuple[Any, ...], BaseModel] = {}

    def once(parts: tuple[BaseModel, ...] | None) -> Any:
        # by its values (a model's own hash and == are much slower), and only
        # for one with the same fields set, so that it dumps the same
        if parts is None:
            return None
        return tuple(
            [
                kept
                if (
                    kept := seen.setdefault((type(x), *x.__dict__.values()), x)
                ).__pydantic_fields_set__
                == x.__pydantic_fields_set__
                else x
                for x in parts
            ]
        )

    for e in feed.engagements:
        e.__dict__["sessions"] = once(e.sessions)
        for p in e.participants:
            fields = p.__dict__
            fields["objectives"] = once(p.objectives)
            fields["competencies"] = once(p.competencies)
            if p.evaluation is not None:
                fields["evaluation"] = once((p.evaluation,))[0]
    return feed


def _check_version(version: object, where: str) -> None:
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProgrammeError(f"{where}: not an aoi programme feed (no schema version)")
    if version > FEED_VERSION:
        raise ProgrammeError(
            f"{where}: written with feed schema {version}, newer than this aoi reads "
            f"({FEED_VERSION}): upgrade aoi to read it"
        )


def feed_programme(blob: bytes, where: str) -> str:
    """The programme a sealed feed says it is for, from its plain header (checked
    again once decrypted); its schema version refused there if newer."""
    header = age.read_header(blob, where)
    if "aoi programme feed" not in header:
        raise ProgrammeError(f"{where}: not an aoi programme feed")
    schema = header.get("schema", "")
    _check_version(int(schema) if schema.isdigit() else None, where)
    return header.get("programme", "")


def open_feed(blob: bytes, programme: Programme, secret: str, where: str) -> Feed:
    """A sealed feed, refused by name when it is of another programme or a newer
    schema, or cannot be decrypted with the lead's key."""
    said = feed_programme(blob, where)
    if said != programme.id:
        raise ProgrammeError(
            f"{where}: a feed of another programme ({said!r}), not of "
            f"{programme.name!r} ({programme.id})"
        )
    return parse_feed(age.open_sealed(blob, secret, where), programme, where)
