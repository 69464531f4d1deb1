"""What was wrong in a record typed or read, said in one line: the first problem
pydantic found, its field and why. The CLI, the settings file and the framing
screen say it the same way. pydantic is not imported here: the CLI and the first
screen start without it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Invalid(Protocol):
    """pydantic's ValidationError, as far as saying its first problem goes."""

    def errors(self) -> Sequence[Mapping[str, Any]]: ...


@dataclass(frozen=True)
class Problem:
    where: str
    """The field, its path dotted (`agreement.consent_date`); empty for the whole record."""
    reason: str
    """pydantic's sentence ("Input should be a valid date...")."""
    kind: str
    """pydantic's name for it (`extra_forbidden`, `missing`, ...)."""

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}" if self.where else self.reason

    def plainly(self) -> str:
        """Said to the coach: aoi's own words alone where a validator of ours said
        what is wrong ("a name is at most 120 characters"), without pydantic's
        "name: Value error, " in front; pydantic's own, after their field."""
        if self.kind == "value_error":
            return self.reason.removeprefix("Value error, ")
        return str(self)


def first_problem(exc: Invalid) -> Problem:
    """The first of the problems pydantic found."""
    first = exc.errors()[0]
    return Problem(
        where=".".join(str(x) for x in first.get("loc", ())),
        reason=str(first.get("msg", "")),
        kind=str(first.get("type", "")),
    )
