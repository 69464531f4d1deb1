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

import weakref
from array import array
from collections import defaultdict
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    Sequence,
    ValuesView,
)
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
    contrib: Mapping[str, Token] = field(default_factory=dict)
    """A dictionary while the table is built, `Entries` once it is."""

    @property
    def people(self) -> int:
        return len(self.contrib)


class _Ids:
    """Each (person key, token) pair as a small number, for `Entries`: one
    numbering for every `Entries` alive in the process (`_ids`), so that two are
    equal exactly when their bytes are."""

    def __init__(self) -> None:
        self.pairs: dict[tuple[str, Token], int] = {}
        self.pair_of: list[tuple[str, Token]] = []
        self.person_of: list[str] = []
        """The person of each pair (by number)."""
        self.same: weakref.WeakValueDictionary[bytes, Entries] = weakref.WeakValueDictionary()
        """Entries by content: a figure unchanged between tables or reports is kept once."""

    def pack(self, contrib: Mapping[str, Token], learn: bool = False) -> bytes | None:
        """The sorted numbers of the pairs as bytes; None when a pair is unknown
        and not to be learnt (then no `Entries` can equal it)."""
        pairs = self.pairs
        try:
            numbers = list(map(pairs.__getitem__, contrib.items()))
        except KeyError:
            if not learn:
                return None
            for pair in contrib.items():
                if pair not in pairs:
                    pairs[pair] = len(self.pair_of)
                    self.pair_of.append(pair)
                    self.person_of.append(pair[0])
            numbers = list(map(pairs.__getitem__, contrib.items()))
        numbers.sort()
        return array("I", numbers).tobytes()


_shared: weakref.ref[_Ids] | None = None


def _ids() -> _Ids:
    global _shared
    ids = None if _shared is None else _shared()
    if ids is None:
        ids = _Ids()
        _shared = weakref.ref(ids)
    return ids


class Entries(Mapping[str, Token]):
    """What each person contributes to a figure, kept compact once its table is
    built: each (person, token) pair as one 4-byte number, sorted. A report's
    figures hold about 350,000 pairs for a programme of 5,000 engagements; as
    dictionaries they took ~26 MiB a report, and the register's earlier reports
    are rebuilt with every report. Read like the dictionary it was; equal to
    another exactly when their bytes are (one numbering for all: `_ids`)."""

    __slots__ = ("__weakref__", "_data", "_hash", "_ids")

    def __init__(self, data: bytes, ids: _Ids) -> None:
        self._data = data
        self._ids = ids
        self._hash = hash(data)

    @staticmethod
    def of(contrib: Mapping[str, Token]) -> Entries:
        if isinstance(contrib, Entries):
            return contrib
        ids = _ids()
        data = ids.pack(contrib, learn=True)
        assert data is not None  # every pair was just learnt
        return Entries._kept(data, ids)

    @staticmethod
    def _kept(data: bytes, ids: _Ids) -> Entries:
        found = ids.same.get(data)
        if found is None:
            found = Entries(data, ids)
            ids.same[data] = found
        return found

    @staticmethod
    def union(parts: Sequence[Entries]) -> Entries:
        """The people of `parts` together, none of them in two parts (the caller
        knows): their pairs, sorted again (the numbers, not the pairs, are read)."""
        numbers = array("I")
        for part in parts:
            numbers.frombytes(part._data)
        return Entries._kept(array("I", sorted(numbers)).tobytes(), _ids())

    def _numbers(self) -> array[int]:
        numbers = array("I")
        numbers.frombytes(self._data)
        return numbers

    def __len__(self) -> int:
        return len(self._data) // 4

    def __iter__(self) -> Iterator[str]:
        return map(self._ids.person_of.__getitem__, self._numbers())

    def __getitem__(self, person: str) -> Token:
        pair_of = self._ids.pair_of
        for n in self._numbers():
            if pair_of[n][0] == person:
                return pair_of[n][1]
        raise KeyError(person)

    # Mapping's own views and `in` look each person up in turn (quadratic here)
    def items(self) -> ItemsView[str, Token]:
        return dict(self._pairs()).items()

    def keys(self) -> KeysView[str]:
        return dict(self._pairs()).keys()

    def values(self) -> ValuesView[Token]:
        return dict(self._pairs()).values()

    def __contains__(self, person: object) -> bool:
        return person in set(self)

    def _pairs(self) -> Iterator[tuple[str, Token]]:
        return map(self._ids.pair_of.__getitem__, self._numbers())

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Entries):
            if other._ids is self._ids:
                return other._data == self._data
            return dict(self._pairs()) == dict(other._pairs())
        if isinstance(other, Mapping):
            return len(other) == len(self) and self._ids.pack(other) == self._data
        return NotImplemented

    def changed(self, other: Entries) -> int:
        """How many people contribute differently here and in `other`."""
        if self == other:
            return 0
        if other._ids is not self._ids:
            return len({p for p, _ in set(self._pairs()) ^ set(other._pairs())})
        differ = set(self._numbers()).symmetric_difference(other._numbers())
        return len(set(map(self._ids.person_of.__getitem__, differ)))


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
    """A table filled one unit at a time (an engagement, a person, a period of an
    engagement's sessions), each unit in one cell. Only the inner cells are filled
    unit by unit; the margins are folded from them once at the end (`table()`):
    a margin's figure is the sum of its cells', and a person's token in it the
    merge of their tokens there, whatever order units came in (tokens of one
    person in several cells are numbers, which add up; a person is in one
    engagement only, so an engagement's key is never merged with another)."""

    def __init__(self, table: Table) -> None:
        self.template = table
        self.inner: dict[Pos, tuple[list[int], dict[str, Token]]] = {}

    def add(self, row: str, col: str, values: list[int], people: dict[str, Token]) -> None:
        """One unit in cell (`row`, `col`): its `values` (one per measure) and the
        persons behind it with their tokens. A unit of zeros is about no one."""
        if not any(values):
            return
        cell = self.inner.get((row, col))
        if cell is None:
            self.inner[(row, col)] = (list(values), dict(people))
            return
        sums, contrib = cell
        for i, value in enumerate(values):
            sums[i] += value
        _fold(contrib, people)

    def table(self, anchors: Table | None = None) -> Table:
        """The table; `anchors`: an anchored table built from the same engagements,
        each in one cell of its row in both, so that the anchors (row totals and
        grand total) are the same figures: that table's are taken, not folded and
        kept again (six tables share them)."""
        t = self.template
        empty = [0] * len(t.measures)
        inner = self.inner
        for pos in t.positions():
            t.cells[pos] = Figure(values=list(empty))
        cells: dict[Pos, _Cell] = {}
        for pos, (values, contrib) in inner.items():
            if pos not in t.cells:
                raise KeyError(f"{t.name}: no cell {pos}")
            cells[pos] = (values, contrib, Entries.of(contrib))
            t.cells[pos] = Figure(values=values, contrib=cells[pos][2])
        if t.row_totals:
            for r in t.rows:
                parts = [cells[(r, c)] for c in t.cols if (r, c) in cells]
                if anchors is None:
                    t.cells[(r, T)] = _sum(empty, parts)
                    continue
                shared = anchors.cells[(r, T)]
                if _added(empty, [v for v, _, _ in parts]) != shared.values:
                    raise ValueError(f"{t.name}: row {r} is not {anchors.name}'s")
                t.cells[(r, T)] = shared
        if t.col_totals:
            for c in t.cols:
                t.cells[(T, c)] = _sum(empty, [cells[(r, c)] for r in t.rows if (r, c) in cells])
            if t.row_totals:
                # the grand total folds every cell: tokens merge in any order alike
                t.cells[(T, T)] = (
                    _sum(empty, list(cells.values())) if anchors is None else anchors.cells[(T, T)]
                )
        for pos in t.positions():
            figure = t.cells[pos]
            figure.contrib = Entries.of(figure.contrib)
        self.inner = {}  # its dictionaries go before the next table's are made
        return t


_Cell = tuple[list[int], Mapping[str, Token], "Entries"]
"""An inner cell while its table is built: values, people as a dictionary and compact."""


def _added(empty: list[int], parts: list[list[int]]) -> list[int]:
    sums = list(empty)
    for values in parts:
        for i, value in enumerate(values):
            sums[i] += value
    return sums


def _sum(empty: list[int], parts: Sequence[_Cell]) -> Figure:
    """A margin's figure: its cells' values added up and their people together.
    Where no one is in two of its cells (a row of the tables about people and
    engagements, most columns), the cells' compact numbers are merged as they
    are; else each person's tokens are merged (`_fold`), then made compact."""
    sums = _added(empty, [values for values, _, _ in parts])
    everyone: set[str] = set()
    for _, contrib, _ in parts:
        everyone.update(contrib)
    if len(everyone) == sum(len(contrib) for _, contrib, _ in parts):
        return Figure(values=sums, contrib=Entries.union([e for _, _, e in parts]))
    folded: dict[str, Token] = {}
    for _, contrib, _ in parts:
        _fold(folded, contrib)
    return Figure(values=sums, contrib=Entries.of(folded))


def _fold(contrib: dict[str, Token], people: Mapping[str, Token]) -> None:
    """Add `people`'s tokens to a figure's: the hot path (most cells and margins
    meet new people) is one dictionary update."""
    if contrib.keys().isdisjoint(people):
        contrib.update(people)
        return
    for person, token in people.items():
        old = contrib.get(person)
        contrib[person] = token if old is None else _merge(old, token)


def _merge(old: Token, token: Token) -> Token:
    """A person's token in a figure where they count more than once: numbers (of
    sessions, objectives) add up; keys are joined in order, so that the token
    says the same whatever order they were added in."""
    if isinstance(old, int) and isinstance(token, int):
        return old + token
    return "+".join(sorted([*str(old).split("+"), *str(token).split("+")]))


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
        started.add(row, start, one, tokens)
        closed = e.status is Status.CLOSED
        status.add(row, "closed" if closed else "in_progress", one, tokens)
        aoi_held = [s for s in e.sessions if s.handover is not None]
        flags = {
            "kickoff": e.kickoff_held,
            "handovers": bool(aoi_held) and all(s.handover for s in aoi_held),
            "closing": e.closing_held,
            "cadence": e.cadence_kept,
        }
        for name, flag in flags.items():
            outcomes[name].add(row, "yes" if flag else "no", one, tokens)
        per_period: dict[str, int] = defaultdict(int)
        for s in e.sessions:
            if counts_as_held(s.kind):  # held against planned: the kickoff frames
                per_period[f"p{s.period}"] += 1
        for col, n in per_period.items():
            sessions.add(row, col, [n], _people_tokens(e, n))
        planned.add(row, "planned", [e.sessions_planned], _people_tokens(e, e.sessions_planned))

    first = started.table()
    tables = [first, status.table(first), *(b.table(first) for b in outcomes.values())]
    tables += [sessions.table(), planned.table()]
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
                b.add(area, status, [n], {p.key: n})
    return b.table()


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
                b.add(c.competency, col, [1], {p.key: 1})
    return b.table()


def _withdrawn(engagements: list[FeedEngagement]) -> Table:
    b = _Builder(Table("withdrawn", PEOPLE_MEASURES, [], [], False, False, False, False))
    for e in engagements:
        b.add(T, T, [len(e.participants), 1], _people_tokens(e))
    return b.table()
