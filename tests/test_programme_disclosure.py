"""Disclosure control of programme reports, checked from the outside: generated
programmes (sites, some tiny; individual engagements, teams and peer groups, some
across sites; every status; several reports in a row with new engagements,
sessions, closings, withdrawals and erasures in between) are reported, and each
report is attacked with everything it and the register publish:

- exact rational elimination: no suppressed figure is determined by the totals
  the report states, the figures it shows and those earlier reports showed
  unchanged;
- a linear-programming bound (non-negative values, scipy's linprog): the range
  each suppressed figure can take is at least K wide;
- no figure shown is about fewer than K people (none is fine), and none differs
  from the same figure in an earlier report for fewer than K people;
- the reports of the series read together (`Attacker`): every table of every
  report in one system, a figure unchanged between two reports one unknown, so
  that no figure suppressed for what it says can be worked out, nor range over
  fewer than K values, from everything the reports show together."""

from __future__ import annotations

import gc
import os
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from scipy.optimize import linprog

from aoi_tui.programme.definition import ProgrammeError
from aoi_tui.programme.disclosure import Earlier, changed, directions, primary
from aoi_tui.programme.report import Report, build_report, earlier_reports
from aoi_tui.programme.tables import Entries, T, Table
from tests.programme_support import evolve, world

STATS = {"reports": 0, "refused": 0, "suppressed": 0, "narrowest": float("inf"), "lps": 0}


def relations(table: Table) -> list[dict[tuple[str, str], int]]:
    """The totals the table states, as equations (coefficients summing to 0)."""
    rows = [*table.rows, T] if table.col_totals else list(table.rows)
    cols = [*table.cols, T] if table.row_totals else list(table.cols)
    out = []
    if table.row_totals:
        for r in rows:
            out.append({(r, T): 1, **{(r, c): -1 for c in table.cols}})
    if table.col_totals:
        for c in cols:
            out.append({(T, c): 1, **{(r, c): -1 for r in table.rows}})
    return out


def known_from_register(
    report: Report, table: Table, earlier: list[Earlier]
) -> set[tuple[str, str]]:
    """Figures an earlier report published whose contributions did not change: the
    attacker is assumed to know they still hold, whether this report shows them
    again or not (a table withheld whole does not: it hides them too, and the
    attacker cannot tell they held; those are left to the LP's ranges)."""
    if table.name in report.decision.withheld:
        return set()
    return {
        pos
        for pos in table.positions()
        for r in earlier
        if table.fid(pos) in r.published
        and r.published[table.fid(pos)] == table.cells[pos].values
        and r.contrib.get(table.fid(pos)) == table.cells[pos].contrib
    }


def determined(rows: list[dict[int, Fraction]], n: int) -> set[int]:
    """Variables fixed by the equations `rows` (coefficients over n unknowns):
    e_i in the row space, by exact Gauss-Jordan elimination over the rationals."""
    matrix = [dict(r) for r in rows if r]
    pivots: list[tuple[int, dict[int, Fraction]]] = []
    for col in range(n):
        pivot = next((r for r in matrix if r.get(col, 0) != 0), None)
        if pivot is None:
            continue
        matrix.remove(pivot)
        scale = pivot[col]
        pivot = {k: v / scale for k, v in pivot.items() if v != 0}
        for r in [*matrix, *(p for _, p in pivots)]:
            factor = r.get(col, 0)
            if factor:
                for k, v in pivot.items():
                    r[k] = r.get(k, 0) - factor * v
                    if r[k] == 0:
                        del r[k]
        pivots.append((col, pivot))
    return {col for col, row in pivots if set(row) == {col}}


def audit(report: Report, earlier: list[Earlier], k: int) -> None:
    shared: dict[str, int] = {}
    for table in report.tables:
        for pos in table.positions():
            shared[table.fid(pos)] = shared.get(table.fid(pos), 0) + 1
    for table in report.tables:
        hidden = [p for p in table.positions() if report.figure(table, p) is None]
        for pos in table.positions():
            fig = table.cells[pos]
            if shared[table.fid(pos)] > 1:  # tables share only figures they all show
                assert pos not in hidden, (table.name, pos)
            if pos in hidden:
                continue
            assert fig.people == 0 or fig.people >= k, (table.name, pos, fig.people)
            for r in earlier:
                if table.fid(pos) in r.published:
                    d = changed(fig.contrib, r.contrib.get(table.fid(pos), {}))
                    assert d == 0 or d >= k, (table.name, pos, d)
        if not hidden:
            continue
        if not (table.row_totals or table.col_totals):
            STATS["suppressed"] += len(hidden)
            continue  # a figure no total involves: nothing bounds it
        known = known_from_register(report, table, earlier) & set(hidden)
        index = {p: i for i, p in enumerate(hidden)}
        for m in range(len(table.measures)):
            equations: list[dict[int, Fraction]] = []
            a_eq, b_eq = [], []
            for rel in relations(table):
                row = {index[p]: Fraction(c) for p, c in rel.items() if p in index}
                rhs = -sum(c * table.cells[p].values[m] for p, c in rel.items() if p not in index)
                if row:
                    equations.append(row)
                    a_eq.append([float(row.get(i, 0)) for i in range(len(hidden))])
                    b_eq.append(float(rhs))
            for p in known:
                equations.append({index[p]: Fraction(1)})
                a_eq.append([1.0 if i == index[p] else 0.0 for i in range(len(hidden))])
                b_eq.append(float(table.cells[p].values[m]))
            fixed = determined(equations, len(hidden))
            assert not fixed, (table.name, [hidden[i] for i in fixed])
            ranges = Ranges(a_eq, b_eq, [float(table.cells[p].values[m]) for p in hidden])
            # the table's rectangles of suppressed cells: each a direction to check
            tried: set[frozenset[tuple[int, int]]] = set()
            for pos in hidden:
                for d in directions(table, pos):
                    if all(q in index for q in d):
                        move = {index[q]: s for q, s in d.items()}
                        if frozenset(move.items()) not in tried:
                            tried.add(frozenset(move.items()))
                            ranges.along(move)
            for pos, i in index.items():
                STATS["suppressed"] += 1 if m == 0 else 0
                span = ranges.span(i, k)
                assert span >= k - 1e-6, (table.name, pos, table.measures[m], span)


class Ranges:
    """How wide the range of each unknown of one system is, given its equations
    (values >= 0), as far as it matters: at least K, or exactly.

    The true values satisfy the equations, and so does every point an LP returns
    or a direction the equations allow reaches (`along`): the range of an unknown
    is at least as wide as the values it takes at those points. An unknown they
    already spread over K needs no LP of its own (far fewer LPs, the same verdict;
    an unknown narrower than K never gets there and is solved exactly). Otherwise
    the highest value first: when it is K above the true value the range is at
    least K wide (the lowest is at most the true value), and the second LP is not
    needed."""

    def __init__(self, a_eq: list[list[float]], b_eq: list[float], truth: list[float]) -> None:
        self.a_eq = a_eq or None
        self.b_eq = b_eq or None
        self.truth = truth
        self.high = list(truth)
        self.low = list(truth)

    def seen(self, point: dict[int, float]) -> None:
        for j, value in point.items():
            self.high[j] = max(self.high[j], value)
            self.low[j] = min(self.low[j], value)

    def along(self, direction: dict[int, int]) -> None:
        """Values moved from the true ones along `direction`, both ways, as far as
        none goes negative: used only if every equation sums it to zero (checked
        here, exactly: the coefficients and the values are integers)."""
        for row in self.a_eq or ():
            if sum(row[j] * s for j, s in direction.items()) != 0:
                return
        inf = float("inf")
        up = min((self.truth[j] / -s for j, s in direction.items() if s < 0), default=inf)
        down = min((self.truth[j] / s for j, s in direction.items() if s > 0), default=inf)
        for t in (up, -down):
            self.seen({j: self.truth[j] + t * s for j, s in direction.items()})

    def span(self, i: int, k: int) -> float:
        if self.high[i] - self.low[i] >= k:
            return self.high[i] - self.low[i]
        c = [0.0] * len(self.truth)
        c[i] = -1.0
        high = linprog(c, A_eq=self.a_eq, b_eq=self.b_eq, bounds=(0, None))
        STATS["lps"] += 1
        if high.status == 3:
            return float("inf")
        assert high.status == 0, high.message
        self.seen(dict(enumerate(float(v) for v in high.x)))
        top = -high.fun
        if top - self.truth[i] >= k:
            return float(top - self.truth[i])
        c[i] = 1.0
        low = linprog(c, A_eq=self.a_eq, b_eq=self.b_eq, bounds=(0, None))
        STATS["lps"] += 1
        assert low.status == 0, low.message
        self.seen(dict(enumerate(float(v) for v in low.x)))
        STATS["narrowest"] = min(STATS["narrowest"], top - low.fun)
        return float(top - low.fun)


class Attacker:
    """Everything the reports of a programme publish, as one system of equations:
    every table of every report (the totals it states), a figure shown anywhere
    known, and a figure of two reports with the same people contributing the same
    the same unknown (the attacker is assumed to know what did not change). The
    tables of one report share their anchors; reports share the figures that did
    not change between them: a figure one table or report hides may be worked out
    from another's."""

    def __init__(self, reports: list[Report], sensitive: list[set[str]]) -> None:
        self.parent: dict[tuple[int, str], tuple[int, str]] = {}
        self.value: dict[tuple[int, str], list[int]] = {}
        self.measures: dict[tuple[int, str], tuple[str, ...]] = {}
        self.people: dict[tuple[int, str], int] = {}
        self.sensitive: set[tuple[int, str]] = set()
        self.shown: set[tuple[int, str]] = set()
        first: dict[tuple[str, str], tuple[int, str]] = {}
        self.reports = reports
        for i, report in enumerate(reports):
            for table in report.tables:
                for pos in table.positions():
                    fid = table.fid(pos)
                    key = (i, fid)
                    self.parent.setdefault(key, key)
                    self.value[key] = table.cells[pos].values
                    self.measures[key] = table.measures
                    self.people[key] = table.cells[pos].people
                    if fid in sensitive[i]:
                        self.sensitive.add(key)
                    if report.figure(table, pos) is not None:
                        self.shown.add(key)
                    fig = table.cells[pos]
                    same = (fid, repr((fig.values, sorted(fig.contrib.items(), key=str))))
                    if same in first:
                        self.union(first[same], key)
                    else:
                        first[same] = key
        self.known = {self.find(k) for k in self.shown}
        self.sensitive = {self.find(k) for k in self.sensitive}

    def find(self, key: tuple[int, str]) -> tuple[int, str]:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: tuple[int, str], b: tuple[int, str]) -> None:
        self.parent[self.find(a)] = self.find(b)

    def check(self, k: int) -> None:
        """No unknown is determined, and each ranges over at least K (LP, values
        non-negative), measure by measure."""
        variables: dict[tuple[tuple[int, str], int], int] = {}
        equations: list[tuple[dict[int, Fraction], Fraction]] = []
        for i, report in enumerate(self.reports):
            for table in report.tables:
                for rel in relations(table):
                    for m in range(len(table.measures)):
                        row: dict[int, Fraction] = {}
                        rhs = Fraction(0)
                        for pos, c in rel.items():
                            root = self.find((i, table.fid(pos)))
                            if root in self.known:
                                rhs -= c * self.value[root][m]
                            else:
                                v = variables.setdefault((root, m), len(variables))
                                row[v] = row.get(v, Fraction(0)) + c
                        row = {v: c for v, c in row.items() if c}
                        if row:
                            equations.append((row, rhs))
        n = len(variables)
        if not n:
            return
        # connected components: the LPs stay small
        parent = list(range(n))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for row, _ in equations:
            first_v, *rest = row
            for v in rest:
                parent[find(v)] = find(first_v)
        groups: dict[int, list[int]] = {}
        for v in range(n):
            groups.setdefault(find(v), []).append(v)
        names = {v: key for key, v in variables.items()}
        spans: dict[tuple[int, str], set[int]] = {}
        for key in self.parent:
            spans.setdefault(self.find(key), set()).add(key[0])
        truth = {v: self.value[key[0]][key[1]] for key, v in variables.items()}
        for members in groups.values():
            if not any(len(spans[names[v][0]]) > 1 for v in members):
                continue  # one report's figures: `audit` attacked it, table by table
            local = {v: j for j, v in enumerate(members)}
            eqs = [
                (row, rhs) for row, rhs in equations if find(next(iter(row))) == find(members[0])
            ]
            rows = [{local[v]: c for v, c in row.items()} for row, _ in eqs]
            # the figures suppressed for what they say (about fewer than K people,
            # everyone sharing one outcome, a change of fewer than K people), in
            # any report: a complement about K people or more, or a figure about no
            # one, says nothing of anyone even when worked out
            about = {v for v in members if names[v][0] in self.sensitive}
            fixed = determined([dict(r) for r in rows], len(members))
            assert not fixed & {local[v] for v in about}, [names[members[j]] for j in fixed]
            a_eq = [[float(r.get(j, 0)) for j in range(len(members))] for r in rows]
            b_eq = [float(rhs) for _, rhs in eqs]
            ranges = Ranges(a_eq, b_eq, [float(truth[v]) for v in members])
            for v in sorted(about):
                span = ranges.span(local[v], k)
                assert span >= k - 1e-6, (names[v], truth[v], span)


def run_series(seed: int, sites: int, engagements: int, k: int, reports: int, changes: int) -> None:
    w = world(seed, sites=sites, engagements=engagements, coaches=3, k=k, tiny=2)
    register: list[dict[str, object]] = []
    made: list[Report] = []
    sensitive: list[set[str]] = []
    for i in range(reports):
        try:
            report, entry = build_report(w.prog, w.feeds(i), register, w.today)
        except ProgrammeError:
            STATS["refused"] += 1
        else:
            earlier = earlier_reports(w.prog, register)
            audit(report, earlier, k)
            assert not report.decision.unprotected
            made.append(report)
            sensitive.append(
                {
                    t.fid(p)
                    for t in report.tables
                    for p in t.positions()
                    if report.figure(t, p) is None and primary(t, p, k, earlier)
                }
            )
            Attacker(made, sensitive).check(k)
            register.append(entry)
            STATS["reports"] += 1
        evolve(w, seed * 31 + i, changes)


@settings(
    max_examples=int(os.environ.get("AOI_PROGRAMME_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 10_000),
    sites=st.integers(1, 9),
    engagements=st.integers(20, 160),
    k=st.integers(3, 7),
    changes=st.sampled_from([3, 15, 60]),
)
def test_no_suppressed_figure_can_be_worked_out(
    seed: int, sites: int, engagements: int, k: int, changes: int
) -> None:
    run_series(seed, sites, engagements, k, reports=3, changes=changes)


def test_a_large_programme_in_three_reports() -> None:
    run_series(7, sites=14, engagements=400, k=5, reports=3, changes=80)
    print("programme disclosure audit:", STATS)


@pytest.mark.parametrize(
    ("seed", "sites", "engagements", "k", "changes"),
    [(9179, 3, 46, 7, 60), (0, 6, 46, 3, 15)],
)
def test_reports_read_together_give_away_no_hidden_figure(
    seed: int, sites: int, engagements: int, k: int, changes: int
) -> None:
    """Programmes where the reports of a series, each safe alone, together gave
    away a figure suppressed for what it says: a figure unchanged from one report
    to the next is one unknown in both, so a cell shown now or a total gave the
    earlier one, or the two reports' suppressions together pinned it."""
    run_series(seed, sites, engagements, k, reports=3, changes=changes)


def test_directions_keep_every_total() -> None:
    """Each elementary direction changes no total its table states."""
    w = world(3, sites=4, engagements=60, coaches=2, k=5)
    report, _ = build_report(w.prog, w.feeds(), [], w.today)
    for table in report.tables:
        rels = relations(table)
        for pos in table.positions():
            for d in directions(table, pos):
                for rel in rels:
                    assert sum(c * d.get(p, 0) for p, c in rel.items()) == 0


def test_a_report_registered_twice_is_rebuilt_once_as_a_rebuild_gives_it() -> None:
    """The same report written again (in another format, or with no new feed) is
    registered again with the same state and rows: its tables are built once for
    both entries, and every figure of every earlier report (values, who contributed
    what, what it published) is the one a report rebuilt on its own has."""
    w = world(4, sites=4, engagements=80, coaches=2, k=3)
    _, first = build_report(w.prog, w.feeds(0), [], w.today)
    evolve(w, 5, 10)
    _, second = build_report(w.prog, w.feeds(1), [first], w.today)
    register = [first, second, {**second, "report": "written again"}]
    together = earlier_reports(w.prog, register)
    assert together[2].tables is together[1].tables
    assert together[0].tables is not together[1].tables
    for shared, entry in zip(together, register, strict=True):
        [alone] = earlier_reports(w.prog, [entry])
        assert (shared.published, shared.contrib) == (alone.published, alone.contrib)
        for a, b in zip(shared.tables, alone.tables, strict=True):
            assert a.name == b.name
            assert {p: (f.values, f.contrib) for p, f in a.cells.items()} == {
                p: (f.values, f.contrib) for p, f in b.cells.items()
            }


def test_a_tiny_programme_is_not_reported() -> None:
    w = world(5, sites=2, engagements=2, coaches=1, k=5)
    frozen = gc.get_freeze_count()
    with pytest.raises(ProgrammeError, match="fewer than 5 people"):
        build_report(w.prog, w.feeds(), [], w.today)
    # the cycle collector, paused while a report is made, is back for the process
    # (a TUI or a test run going on after it), refused report or not; what the
    # process froze is left as it was, and nothing of the report stays frozen
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_a_figure_unchanged_since_a_report_with_fewer_periods_keeps_its_table() -> None:
    """A figure of 'started' unchanged since the earlier report, where the new
    period's column did not exist, has no rectangle that moves in both reports:
    the table was withheld whole for it. The reports read together still leave it
    a range of K (the LP), so only what protects it is suppressed."""
    k = 5
    w = world(3, sites=14, engagements=600, coaches=20, k=k, tiny=2)
    first, entry = build_report(w.prog, w.feeds(0), [], w.today)
    evolve(w, 99, 30)
    earlier = earlier_reports(w.prog, [entry])
    second, _ = build_report(w.prog, w.feeds(1), [entry], w.today)
    assert not second.decision.withheld
    audit(second, earlier, k)
    sensitive = [
        {
            t.fid(p)
            for t in r.tables
            for p in t.positions()
            if r.figure(t, p) is None and primary(t, p, k, before)
        }
        for r, before in ((first, []), (second, earlier))
    ]
    Attacker([first, second], sensitive).check(k)


people_tokens = st.dictionaries(
    st.sampled_from(["p1", "p2", "p3", "p4", "p5"]),
    st.one_of(st.integers(0, 3), st.sampled_from(["e1", "e2", "e1+e2"])),
)


@settings(max_examples=30, deadline=None)
@given(a=people_tokens, b=people_tokens)
def test_compact_figures_count_changed_people_as_dictionaries_do(
    a: dict[str, str | int], b: dict[str, str | int]
) -> None:
    """A figure's people are kept compact once its table is built (`Entries`):
    two figures are the same unknown, and differ for as many people, exactly as
    their dictionaries say (a figure taken for another, or a change counted
    short, would let a hidden figure be worked out)."""
    x, y = Entries.of(a), Entries.of(b)
    assert x == a and y == b and (x == y) == (a == b)
    if a == b:
        assert hash(x) == hash(y)
    assert changed(x, y) == changed(a, b) == changed(a, y)
    assert dict(x.items()) == a and len(x) == len(a) and set(x) == set(a)
    assert sorted(map(str, x.values())) == sorted(map(str, a.values()))
    assert all(p in x and x[p] == a[p] for p in a) and "nobody" not in x


def test_an_earlier_report_keeps_a_competency_named_as_a_session_kind() -> None:
    """The register's engagements are rebuilt with each distinct part kept once: a
    competency 'aoi' from level 2, and an AOI session in period 2, hold equal
    values and stay a competency and a session."""
    from aoi_tui.programme.feed import FeedEngagement
    from aoi_tui.programme.report import from_snapshot, snapshot

    engagement = FeedEngagement.model_validate(
        {
            "key": "e" * 16,
            "site": "S01",
            "format": "aoi",
            "form": "individual",
            "people": 1,
            "start_period": 2,
            "status": "active",
            "sessions_planned": 6,
            "sessions": [{"kind": "aoi", "period": 2}],
            "kickoff_held": True,
            "closing_held": False,
            "cadence_days": 21,
            "cadence_kept": True,
            "participants": [
                {
                    "key": "p" * 16,
                    "competencies": [{"competency": "aoi", "start": 2, "latest": None}],
                }
            ],
        }
    )
    [back] = from_snapshot(snapshot([engagement]))
    assert back.sessions[0].kind == "aoi" and back.sessions[0].period == 2
    [competency] = back.participants[0].competencies or ()
    assert (competency.competency, competency.start, competency.latest) == ("aoi", 2, None)
