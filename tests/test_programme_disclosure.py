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
  from the same figure in an earlier report for fewer than K people."""

from __future__ import annotations

import os
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from scipy.optimize import linprog

from aoi_tui.programme.definition import ProgrammeError
from aoi_tui.programme.disclosure import Earlier, changed, directions
from aoi_tui.programme.report import Report, build_report, earlier_reports
from aoi_tui.programme.tables import T, Table
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
            for pos, i in index.items():
                c = [0.0] * len(hidden)
                c[i] = 1.0
                low = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=(0, None))
                c[i] = -1.0
                high = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=(0, None))
                STATS["lps"] += 2
                assert low.status == 0, (table.name, pos, low.message)
                top = float("inf") if high.status == 3 else -high.fun
                span = top - low.fun
                assert span >= k - 1e-6, (table.name, pos, table.measures[m], low.fun, top)
                STATS["narrowest"] = min(STATS["narrowest"], span)
                STATS["suppressed"] += 1 if m == 0 else 0


def run_series(seed: int, sites: int, engagements: int, k: int, reports: int, changes: int) -> None:
    w = world(seed, sites=sites, engagements=engagements, coaches=3, k=k, tiny=2)
    register: list[dict[str, object]] = []
    for i in range(reports):
        try:
            report, entry = build_report(w.prog, w.feeds(i), register, w.today)
        except ProgrammeError:
            STATS["refused"] += 1
        else:
            earlier = earlier_reports(w.prog, register)
            audit(report, earlier, k)
            assert not report.decision.unprotected
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


def test_a_tiny_programme_is_not_reported() -> None:
    w = world(5, sites=2, engagements=2, coaches=1, k=5)
    with pytest.raises(ProgrammeError, match="fewer than 5 people"):
        build_report(w.prog, w.feeds(), [], w.today)
