"""The programme file: what a firm's programme lead defines once and gives every
coach of the programme (`aoi programme new`, `aoi programme join`).

It holds no personal data and no secret: a random id, the name, the sites (each
with a code; feeds carry codes, never names), fixed reporting periods, the
threshold K under which no figure is shown, the referential the programme's
competencies come from, and the lead's public age key (feeds are encrypted to
it; the secret key stays in the lead's own store)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aoi_tui.domain.ids import new_id
from aoi_tui.domain.text import clean_line

PROGRAMME_FORMAT: Literal["aoi-programme"] = "aoi-programme"
PROGRAMME_VERSION = 1
MIN_GROUP_FLOOR = 3
"""K is never below this: a figure about one or two people is always about a person."""
DEFAULT_MIN_GROUP = 5
DEFAULT_PERIOD_MONTHS = 3
MAX_SITES = 200
MAX_NAME = 120
ID_PATTERN = "^[0-9a-z]{16}$"
"""Programme ids, coach keys, engagement and person keys: 16 characters of base32
(80 random bits, from the OS's generator)."""


class ProgrammeError(ValueError):
    """A programme file, a feed or a report refused, with the reason in words."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Site(Strict):
    code: str = Field(pattern="^S[0-9]{2,3}$")
    name: str = Field(min_length=1, max_length=MAX_NAME)


class Periods(Strict):
    """Period 1 starts on `start` (a first of the month) and each lasts `months`
    months; they never move once the programme file is written."""

    start: date
    months: int = Field(ge=1, le=12)

    @field_validator("start")
    @classmethod
    def _first_of_month(cls, day: date) -> date:
        if day.day != 1:
            raise ValueError("periods start on the first of a month")
        return day

    def index(self, day: date) -> int:
        """The period `day` falls in (1 for the first; a day before the programme's
        start counts in the first period)."""
        months = (day.year - self.start.year) * 12 + day.month - self.start.month
        return max(0, months) // self.months + 1

    def bounds(self, index: int) -> tuple[date, date]:
        """First and last day of period `index`."""
        first = _add_months(self.start, (index - 1) * self.months)
        after = _add_months(first, self.months)
        return first, date.fromordinal(after.toordinal() - 1)

    def label(self, index: int) -> str:
        first, last = self.bounds(index)
        if self.months == 1:
            return f"{first:%Y-%m}"
        return f"{first:%Y-%m}/{last:%Y-%m}"


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


class ReferentialRef(Strict):
    id: str = Field(min_length=1, max_length=80)
    competencies: tuple[str, ...]
    """The ids of the referential's competencies when the programme was defined."""


class Programme(Strict):
    format: Literal["aoi-programme"] = PROGRAMME_FORMAT
    version: int = PROGRAMME_VERSION
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1, max_length=MAX_NAME)
    sites: tuple[Site, ...] = Field(min_length=1, max_length=MAX_SITES)
    periods: Periods
    min_group: int = Field(default=DEFAULT_MIN_GROUP, ge=MIN_GROUP_FLOOR, le=100)
    referential: ReferentialRef
    lead_key: str = Field(pattern="^age1[02-9ac-hj-np-z]{58}$")
    """The lead's public age key (an X25519 recipient)."""

    @model_validator(mode="after")
    def _unique(self) -> Programme:
        codes = [s.code for s in self.sites]
        names = [s.name.casefold() for s in self.sites]
        if len(set(codes)) != len(codes) or len(set(names)) != len(names):
            raise ValueError("each site appears once")
        return self

    @property
    def site_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.sites)

    def site_name(self, code: str) -> str:
        for s in self.sites:
            if s.code == code:
                return s.name
        raise KeyError(code)

    def site_code(self, name: str) -> str:
        """The code of the site named `name` (case ignored), never a name typed freely."""
        wanted = clean_line(name).casefold()
        for s in self.sites:
            if s.name.casefold() == wanted:
                return s.code
        raise ProgrammeError(
            f"no site {name!r} in programme {self.name!r}: choose one of "
            + ", ".join(s.name for s in self.sites)
        )

    def dumps(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def new_programme(
    name: str,
    sites: list[str],
    lead_key: str,
    *,
    start: date,
    period_months: int = DEFAULT_PERIOD_MONTHS,
    min_group: int = DEFAULT_MIN_GROUP,
    referential_id: str = "first-line-manager",
) -> Programme:
    """A new programme. Names are cleaned to one line; K below 3 is refused."""
    from aoi_tui.domain.referentials import referential

    if min_group < MIN_GROUP_FLOOR:
        raise ProgrammeError(
            f"--min-group is at least {MIN_GROUP_FLOOR}: a figure about fewer people "
            "is a figure about a person"
        )
    cleaned = [clean_line(s) for s in sites]
    if not cleaned or any(not s for s in cleaned):
        raise ProgrammeError("give each site a name (--site NAME, once per site)")
    folded = [s.casefold() for s in cleaned]
    if len(set(folded)) != len(folded):
        raise ProgrammeError("a site is named twice")
    try:
        ref = referential("en", referential_id)
    except KeyError:
        from aoi_tui.domain.referentials import referentials

        known = ", ".join(r.id for r in referentials("en"))
        raise ProgrammeError(f"no referential {referential_id!r}: choose one of {known}") from None
    return Programme(
        id=new_id(16),
        name=clean_line(name),
        sites=tuple(Site(code=f"S{i:02d}", name=s) for i, s in enumerate(cleaned, 1)),
        periods=Periods(start=start.replace(day=1), months=period_months),
        min_group=min_group,
        referential=ReferentialRef(id=ref.id, competencies=tuple(c.id for c in ref.competencies)),
        lead_key=lead_key,
    )


def parse_programme(text: str | bytes, where: str = "programme file") -> Programme:
    """A programme file's contents, checked; ProgrammeError names what is wrong."""
    try:
        raw = json.loads(text)
    except ValueError:
        raise ProgrammeError(f"{where}: not a programme file (not JSON)") from None
    if not isinstance(raw, dict) or raw.get("format") != PROGRAMME_FORMAT:
        raise ProgrammeError(f"{where}: not an aoi programme file")
    version = raw.get("version")
    if not isinstance(version, int):
        raise ProgrammeError(f"{where}: not an aoi programme file (no version)")
    if version > PROGRAMME_VERSION:
        raise ProgrammeError(
            f"{where}: written by a newer aoi (programme file version {version}; this "
            f"aoi reads up to {PROGRAMME_VERSION}): upgrade aoi"
        )
    from pydantic import ValidationError

    from aoi_tui.domain.problems import first_problem

    try:
        return Programme.model_validate(raw)
    except ValidationError as exc:
        raise ProgrammeError(f"{where}: {first_problem(exc)}") from None


MAX_PROGRAMME_BYTES = 1_000_000


def read_small_file(path: Path, limit: int, what: str) -> bytes:
    """A regular file's bytes, at most `limit`; a FIFO, a device, a folder or a
    missing file refused in words, never waited on (opened without blocking,
    checked on the descriptor it opened)."""
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ProgrammeError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ProgrammeError(f"{path}: not a {what} (not a regular file)")
        if info.st_size > limit:
            raise ProgrammeError(f"{path}: too large for a {what}")
        chunks = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > limit:
                raise ProgrammeError(f"{path}: too large for a {what}")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise ProgrammeError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def read_programme(path: Path) -> Programme:
    data = read_small_file(path, MAX_PROGRAMME_BYTES, "programme file")
    return parse_programme(data, str(path))
