"""The programme's figures, as tables of cells with their margins, each cell
knowing the people behind it.

Every table has rows (sites, objective areas or competencies), columns (periods,
statuses, outcomes), and where it says so row totals (column "T") and column
totals (row "T", the programme level). A cell keeps, besides its values, what
each person behind it contributes (`contrib`: person key -> a token such as the
engagement's key or a number of sessions): the people behind a figure are the
keys of `contrib`, and two reports' versions of a figure differ for the people
whose token changed.

The sites' rows: the sites shown (chosen by `disclosure.choose_rows`) and "other",
which gathers the sites not shown and the peer groups spanning several sites (they
count at programme level only). Withdrawn engagements are in no table: one figure
at programme level counts them.

In the tables about people and engagements (started, status, and the four
outcomes over engagements), the row totals and the grand total are the same
figures everywhere: the people (and engagements) of each row and of the
programme, the *anchors*. They are always shown (`choose_rows` sees to it that
each is about at least K people, or none), so that each table can be protected
on its own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from aoi_tui.domain.vocabulary import Area, ObjectiveStatus, Status, counts_as_held
from aoi_tui.programme.definition import Programme
from aoi_tui.programme.feed import FeedEngagement

T = "T"
OTHER = "other"
NONE = "none"

Pos = tuple[str, str]
Token = str | int


@dataclass
class Figure:
    values: list[int]
    contrib: dict[str, Token] = field(default_factory=dict)

    @property
    def people(self) -> int:
        return len(self.contrib)


@dataclass
class Table:
    name: str
    measures: tuple[str, ...]
    rows: list[str]
    cols: list[str]
    row_totals: bool
    col_totals: bool
    outcome: bool
    """The columns are outcomes: a cell holding its whole row is about everyone
    sharing one outcome."""
    anchored: bool
    """Row totals and grand total are the programme's anchors (shared figures)."""
    cells: dict[Pos, Figure] = field(default_factory=dict)

    def positions(self) -> list[Pos]:
        rows = [*self.rows, T] if self.col_totals else list(self.rows)
        cols = [*self.cols, T] if self.row_totals else list(self.cols)
        if not self.rows and not self.cols:
            return [(T, T)]
        return [(r, c) for r in rows for c in cols]

    def fid(self, pos: Pos) -> str:
        """The figure's id across tables and reports (anchors share theirs)."""
        r, c = pos
        if self.anchored and c == T:
            return f"anchor|{r}"
        return f"{self.name}|{r}|{c}"

    def anchors(self) -> set[Pos]:
        if not self.anchored:
            return set()
        return {p for p in self.positions() if p[1] == T}


class _Builder:
    def __init__(self, table: Table) -> None:
        self.table = table
        for pos in table.positions():
            table.cells[pos] = Figure(values=[0] * len(table.measures))

    def add(self, row: str, amounts: dict[str, list[int]], people: dict[str, Token]) -> None:
        """One unit (an engagement, a person) in `row`: `amounts` per column, each
        a value per measure; `people` the persons behind it, with their tokens for
        each column (the same token for every column of this unit)."""
        t = self.table
        col_totals, row_totals = t.col_totals, t.row_totals
        total: list[int] | None = None
        for col, values in amounts.items():
            if not any(values):
                continue
            self._put((row, col), values, people, col)
            if col_totals:
                self._put((T, col), values, people, col)
            total = (
                list(values)
                if total is None
                else [a + b for a, b in zip(total, values, strict=True)]
            )
        if total is not None and row_totals:
            self._put((row, T), total, people, T)
            if col_totals:
                self._put((T, T), total, people, T)

    def _put(self, pos: Pos, values: list[int], people: dict[str, Token], col: str) -> None:
        # the report's hot loop (several per engagement and table): in place
        cell = self.table.cells[pos]
        sums = cell.values
        for i, value in enumerate(values):
            sums[i] += value
        contrib = cell.contrib
        if contrib.keys().isdisjoint(people):  # the usual case: new people in this cell
            contrib.update(people)
            return
        for person, token in people.items():
            old = contrib.get(person)
            contrib[person] = token if old is None else _merge(old, token, col)


def _merge(old: Token | None, token: Token, col: str) -> Token:
    """A person's token in a cell: their engagement's token (several columns of one
    unit add up in a total: the token then says how much, as a sum)."""
    if old is None:
        return token
    if isinstance(old, int) and isinstance(token, int):
        return old + token
    return f"{old}+{token}"


def _people_tokens(e: FeedEngagement, token: Token | None = None) -> dict[str, Token]:
    return {p.key: e.key if token is None else token for p in e.participants}


PEOPLE_MEASURES = ("people", "engagements")
OUTCOMES = ("kickoff", "handovers", "closing", "cadence")


def build_tables(
    programme: Programme,
    engagements: Iterable[FeedEngagement],
    row_of: Callable[[str | None], str],
    rows: list[str],
    last_period: int,
) -> list[Table]:
    """Every table of the report. `row_of` maps a site code (None: across sites) to
    its row; `rows` lists them in order; periods run from 1 to `last_period`."""
    periods = [f"p{i}" for i in range(1, last_period + 1)]
    current = [e for e in engagements if e.status is not Status.WITHDRAWN]
    withdrawn = [e for e in engagements if e.status is Status.WITHDRAWN]

    def table(name: str, cols: list[str], *, outcome: bool = False) -> Table:
        return Table(
            name, PEOPLE_MEASURES, list(rows), cols, True, True, outcome=outcome, anchored=True
        )

    started = _Builder(table("started", [*periods, NONE]))
    status = _Builder(table("status", ["in_progress", "closed"], outcome=True))
    outcomes = {name: _Builder(table(name, ["yes", "no"], outcome=True)) for name in OUTCOMES}
    sessions = _Builder(
        Table("sessions", ("sessions",), list(rows), periods, True, True, False, False)
    )
    planned = _Builder(
        Table("planned", ("sessions",), list(rows), ["planned"], False, True, False, False)
    )

    for e in current:
        row = row_of(e.site)
        tokens = _people_tokens(e)
        one = [len(e.participants), 1]
        start = f"p{e.start_period}" if e.start_period else NONE
        started.add(row, {start: one}, tokens)
        closed = e.status is Status.CLOSED
        status.add(row, {"closed" if closed else "in_progress": one}, tokens)
        aoi_held = [s for s in e.sessions if s.handover is not None]
        flags = {
            "kickoff": e.kickoff_held,
            "handovers": bool(aoi_held) and all(s.handover for s in aoi_held),
            "closing": e.closing_held,
            "cadence": e.cadence_kept,
        }
        for name, flag in flags.items():
            outcomes[name].add(row, {"yes" if flag else "no": one}, tokens)
        per_period: dict[str, int] = defaultdict(int)
        for s in e.sessions:
            if counts_as_held(s.kind):  # held against planned: the kickoff frames
                per_period[f"p{s.period}"] += 1
        for col, n in per_period.items():
            sessions.add(row, {col: [n]}, _people_tokens(e, n))
        planned.add(row, {"planned": [e.sessions_planned]}, _people_tokens(e, e.sessions_planned))

    tables = [started.table, status.table, *(b.table for b in outcomes.values())]
    tables += [sessions.table, planned.table]
    tables.append(_objectives(current))
    tables.append(_competencies(programme, current))
    tables.append(_withdrawn(withdrawn))
    return tables


AREA_ROWS = [a.value for a in Area] + [NONE]
STATUS_COLS = [s.value for s in ObjectiveStatus]


def _objectives(engagements: list[FeedEngagement]) -> Table:
    """Objectives by area and status, at programme level: a person's token in a
    cell is the number of their objectives there."""
    b = _Builder(
        Table("objectives", ("objectives",), AREA_ROWS, STATUS_COLS, True, True, True, False)
    )
    for e in engagements:
        for p in e.participants:
            counts: dict[tuple[str, str], int] = defaultdict(int)
            for o in p.objectives or ():
                counts[(o.area.value if o.area else NONE, o.status.value)] += 1
            for (area, status), n in sorted(counts.items()):
                b.add(area, {status: [n]}, {p.key: n})
    return b.table


def _competencies(programme: Programme, engagements: list[FeedEngagement]) -> Table:
    rows = list(programme.referential.competencies)
    b = _Builder(
        Table("competencies", ("people",), rows, ["up", "not_up"], True, False, True, False)
    )
    for e in engagements:
        for p in e.participants:
            for c in p.competencies or ():
                if c.start is None or c.latest is None or c.competency not in rows:
                    continue
                col = "up" if c.latest > c.start else "not_up"
                b.add(c.competency, {col: [1]}, {p.key: 1})
    return b.table


def _withdrawn(engagements: list[FeedEngagement]) -> Table:
    b = _Builder(Table("withdrawn", PEOPLE_MEASURES, [], [], False, False, False, False))
    cell = b.table.cells[(T, T)]
    for e in engagements:
        cell.values = [cell.values[0] + len(e.participants), cell.values[1] + 1]
        cell.contrib.update(_people_tokens(e))
    return b.table
