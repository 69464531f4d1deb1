"""One key steps through a short list of values, the last leading back to the
first: an objective's status, a competency's level, an action's status, the
next note's kind or role, the debrief's tabs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def next_in(cycle: Sequence[T], current: T) -> T:
    """The value after `current` in `cycle`; after the last, the first. `current`
    is one of `cycle` (a ValueError otherwise)."""
    return cycle[(cycle.index(current) + 1) % len(cycle)]
