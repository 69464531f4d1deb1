"""Rules the core writes once for every screen and command: the next value of a
cycle (F7 and the like) and the first problem of a record, in one line."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from aoi_tui.domain.cycle import next_in
from aoi_tui.domain.models import Engagement, Level, ObjectiveStatus
from aoi_tui.domain.problems import Invalid, Problem, first_problem


def test_next_in_steps_on_and_comes_back_to_the_first() -> None:
    statuses = list(ObjectiveStatus)
    assert next_in(statuses, statuses[0]) is statuses[1]
    assert next_in(statuses, statuses[-1]) is statuses[0]
    levels = [None, *Level]  # a level may be unset: "—" comes back after the last
    assert next_in(levels, None) is Level.NOT_ACQUIRED
    assert next_in(levels, Level.MASTERED) is None
    with pytest.raises(ValueError):
        next_in(["tab-notes", "tab-message"], "tab-fsac")


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    class Inner(BaseModel):
        day: int

    inner: Inner


def problem_of(data: object) -> Problem:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(data)
    assert isinstance(caught.value, Invalid)  # what the CLI checks, pydantic not imported
    return first_problem(caught.value)


def test_the_first_problem_names_its_field_dotted_and_says_why() -> None:
    problem = problem_of({"inner": {"day": "tuesday"}})
    assert problem.where == "inner.day"
    assert problem.kind == "int_parsing"
    assert str(problem) == f"inner.day: {problem.reason}"
    assert "integer" in problem.reason

    unknown = problem_of({"inner": {"day": 1}, "colour": "red"})
    assert (unknown.where, unknown.kind) == ("colour", "extra_forbidden")


def test_a_problem_of_the_whole_record_is_said_without_a_field() -> None:
    with pytest.raises(ValidationError) as caught:
        Engagement.model_validate("not a record")
    problem = first_problem(caught.value)
    assert problem.where == ""
    assert str(problem) == problem.reason


def test_a_value_error_that_is_not_pydantic_s_is_not_taken_for_one() -> None:
    assert not isinstance(ValueError("bad date"), Invalid)
