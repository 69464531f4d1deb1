"""Disclosure control: which figures of a programme report are shown.

The rules (K is the programme's threshold, at least 3):

1. **Rows.** A site is shown when at least K people are behind it, and
   when, against every earlier report that showed it, the people who came or left
   are none or at least K. The other sites join the row "other", with the peer
   groups spanning several sites; if "other" itself fails the same test, the
   smallest site shown joins it too, until it passes. The programme as a whole
   must pass it, or no report is made: a report of a programme of fewer than K
   people, or one that differs from an earlier one by fewer than K people, would
   single them out. The rows' totals and the programme's total (people and
   engagements: the *anchors*) are then always shown.
2. **Primary suppression.** A figure is suppressed when fewer than K people are
   behind it (a figure about none is shown: it is about no one); when, in a table
   of outcomes, one of its row's figures holds the whole row (everyone behind the
   row shares that outcome: the full figure and the empty one both say it); or
   when it differs from the same figure in an earlier report for fewer than K
   people (the difference would be a figure about them).
3. **Known figures.** A figure an earlier report published, with exactly the same
   people contributing exactly the same, is public already: it is shown again and
   never used to hide another.
4. **Once hidden, hidden while unchanged.** A figure an earlier report
   suppressed, with exactly the same people contributing exactly the same, is
   suppressed again: shown now, it would give the earlier report's hidden figure,
   and through that report's totals the figures it protected.
5. **Complementary suppression.** Every suppressed figure is protected by a
   direction of change: a rectangle of suppressed cells (corners may be margins)
   along which values can move, every total shown staying the same, by at least K
   in all, without any value going negative. Its corners are suppressed with it.
   A figure unchanged since an earlier report is the same unknown in both: moving
   it moves it in that report too, so the rectangle must be one of suppressed
   cells there as well, and wide enough in every report it moves in (`History`).
   Every suppressed figure of an earlier report that the new one touches is
   checked the same way, and the new report suppresses the corners that keep it
   protected. The range a suppressed figure can take given everything every
   report shows is then at least K wide. Within one report, tables share only
   the anchors, which are shown.

The attacker this guards against holds every report of the programme and knows
which figures did not change; what it does not model: relations between tables
that are not equalities of totals (more people than engagements in a cell,
sessions held after the start)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from aoi_tui.programme.definition import ProgrammeError
from aoi_tui.programme.tables import OTHER, Entries, Figure, Pos, T, Table, Token

FEW = "few"
SAME = "same"
CHANGE = "change"
COMPLEMENT = "complement"


@dataclass
class Earlier:
    """An earlier report, as the register lets us rebuild it."""

    at: str
    published: dict[str, list[int]]
    """Figure id -> the values it showed."""
    contrib: Mapping[str, Mapping[str, Token]]
    """Figure id -> what each person contributed to it then (every figure)."""
    tables: list[Table] = field(default_factory=list)
    """Its tables as rebuilt from the register (values of hidden figures too)."""


@dataclass
class Decision:
    suppressed: dict[str, set[Pos]] = field(default_factory=dict)
    reasons: set[str] = field(default_factory=set)
    """The reasons that applied somewhere (never said per figure: a reason shown
    beside a figure would say how small it is)."""
    known: int = 0
    """Figures shown again because an earlier report published them unchanged."""
    unprotected: list[tuple[str, Pos]] = field(default_factory=list)
    """Suppressed figures no direction could protect (a table then withheld whole)."""
    withheld: set[str] = field(default_factory=set)

    def hidden(self, table: str, pos: Pos) -> bool:
        """Suppressed (a table withheld whole keeps its anchors, shown everywhere)."""
        return pos in self.suppressed.get(table, set())

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.suppressed.values())


def changed(a: Mapping[str, Token], b: Mapping[str, Token]) -> int:
    """How many people contribute differently to two versions of a figure."""
    if isinstance(a, Entries) or isinstance(b, Entries):
        return Entries.of(a).changed(Entries.of(b))
    if a == b:
        return 0
    # a person whose token changed is in both sides of the difference: counted once
    return len({person for person, _ in a.items() ^ b.items()})


def _passes(fid: str, contrib: Mapping[str, Token], k: int, earlier: Iterable[Earlier]) -> bool:
    """A row (or the programme) may stand alone: none, or at least K people in at
    least K engagements (a team of eight is one engagement: a row of it would
    show that engagement's every outcome), and no change of fewer than K."""
    n = len(contrib)
    if 0 < n < k or 0 < len(set(contrib.values())) < k:
        return False
    for report in earlier:
        if fid in report.published:
            d = changed(contrib, report.contrib.get(fid, {}))
            if 0 < d < k:
                return False
    return True


def choose_rows(
    site_codes: list[str],
    people: Mapping[str | None, Mapping[str, Token]],
    k: int,
    earlier: list[Earlier],
) -> list[str]:
    """The sites shown (rule 1); `people` maps each site code (None: across sites)
    to its people and their engagement's key. Raises ProgrammeError when the
    programme as a whole may not be reported."""
    everyone: dict[str, Token] = {}
    for group in people.values():
        everyone.update(group)
    if not _passes("anchor|T", everyone, k, earlier) or len(everyone) < k:
        raise ProgrammeError(
            f"no report: fewer than {k} people or {k} engagements are in the programme's "
            f"figures, or fewer than {k} people joined or left them since an earlier "
            f"report (a report would single them out); it can be made once at least "
            f"{k} have"
        )
    # a site with no one is not a row either: the sites gathered in "other" are
    # then those with fewer than K people, none included (never "one to K-1")
    shown = [
        s
        for s in site_codes
        if people.get(s) and _passes(f"anchor|{s}", people.get(s, {}), k, earlier)
    ]
    while True:
        other: dict[str, Token] = dict(people.get(None, {}))
        for s in site_codes:
            if s not in shown:
                other.update(people.get(s, {}))
        if _passes(f"anchor|{OTHER}", other, k, earlier) or not shown:
            return shown
        smallest = min(shown, key=lambda s: (len(people.get(s, {})), -site_codes.index(s)))
        shown.remove(smallest)


def primary(table: Table, pos: Pos, k: int, earlier: list[Earlier]) -> set[str]:
    """Why a figure must be suppressed (rule 2); empty when it may be shown."""
    fig = table.cells[pos]
    why = set()
    if 0 < fig.people < k:
        why.add(FEW)
    if table.outcome and pos[1] != T and table.row_totals:
        # everyone behind the row shares one outcome: the full cell says it, and
        # so does the empty one beside it ("none did")
        total = table.cells[(pos[0], T)]
        row = [table.cells[(pos[0], c)] for c in table.cols]
        if total.values[0] > 0 and any(cell.values == total.values for cell in row):
            why.add(SAME)
    fid = table.fid(pos)
    for report in earlier:
        if fid in report.published:
            d = changed(fig.contrib, report.contrib.get(fid, {}))
            if 0 < d < k:
                why.add(CHANGE)
    return why


def is_known(table: Table, pos: Pos, earlier: list[Earlier]) -> bool:
    """Rule 3: published before, unchanged."""
    fig = table.cells[pos]
    fid = table.fid(pos)
    return any(
        fid in r.published
        and r.published[fid] == fig.values
        and r.contrib.get(fid, {}) == fig.contrib
        for r in earlier
    )


def decide(tables: list[Table], k: int, earlier: list[Earlier]) -> Decision:
    decision = Decision()
    history = History(tables, earlier, k)
    by_name = {t.name: t for t in tables}
    fixed: dict[str, set[Pos]] = {}
    must: dict[str, set[Pos]] = {}  # suppressed for what they say
    # suppressed so that an earlier report's figure stays protected (rules 4, 5);
    # protected like the others, as every suppressed figure is
    quiet: dict[str, set[Pos]] = {}
    known: dict[str, int] = {}
    for table in tables:
        fixed[table.name] = table.anchors()
        must[table.name] = set()
        quiet[table.name] = set()
        known[table.name] = 0
        for pos in table.positions():
            why = primary(table, pos, k, earlier)
            if is_known(table, pos, earlier):
                fixed[table.name].add(pos)
                known[table.name] += 1 if why else 0
                continue
            if pos in fixed[table.name]:
                continue
            if why:
                must[table.name].add(pos)
                decision.reasons |= why
            elif history.hidden_before(table.fid(pos)):
                quiet[table.name].add(pos)  # rule 4: shown now, it would give the earlier one
                decision.reasons.add(COMPLEMENT)
    for _ in range(len(tables) * 8):  # until the earlier reports ask for nothing more
        hidden: dict[str, set[Pos]] = {}
        for table in tables:
            if table.name in decision.withheld:
                hidden[table.name] = withhold(table)
                continue
            found, unprotected = protect(
                table, k, must[table.name] | quiet[table.name], fixed[table.name], history
            )
            if unprotected and earlier:
                # no rectangle moves them in every report: the LP may still find
                # their range wide enough given this pattern (more suppression
                # later only widens it)
                history.hide(table, found)
                unprotected = {
                    p
                    for _, p in history.narrow(
                        [(history.now, table.name, p) for p in unprotected], k
                    )
                }
            if unprotected:
                found = withhold(table)
                decision.withheld.add(table.name)
            hidden[table.name] = found
            history.hide(table, found)
        needs = history.earlier_needs(k)
        more = {n: p for n, p in needs.items() if n not in decision.withheld}
        if not more:
            # what tables withheld whole still leave unprotected of an earlier
            # report's figures, checked exactly: then no report
            if history.unresolved:
                decision.unprotected += history.narrow(history.unresolved, k)
            break
        for name, positions in more.items():
            if name in decision.withheld:
                continue
            new = positions - must[name] - quiet[name] - fixed[name]
            if new:
                quiet[name] |= new
                decision.reasons.add(COMPLEMENT)
            if positions & fixed[name] or not new:
                decision.withheld.add(name)  # the corners it needs cannot be suppressed
                history.hide(by_name[name], withhold(by_name[name]))
    else:  # never settled: checked exactly
        decision.unprotected += history.narrow(history.unresolved, k)
    for table in tables:
        found = hidden[table.name]
        if table.name in decision.withheld:
            known[table.name] = 0
            decision.unprotected += [
                (table.name, p)
                for p in exposed(table, found, must[table.name], fixed[table.name], k)
            ]
            if earlier:  # what earlier reports hid and this one hides too ties them
                mine = [
                    (history.now, table.name, p)
                    for p in sorted(must[table.name] - fixed[table.name])
                ]
                decision.unprotected += history.narrow(mine, k)
        decision.known += known[table.name]
        if found - must[table.name]:
            decision.reasons.add(COMPLEMENT)
        decision.suppressed[table.name] = found
    return decision


def exposed(table: Table, hidden: set[Pos], must: set[Pos], fixed: set[Pos], k: int) -> list[Pos]:
    """The figures of a table withheld whole that it still does not protect: those
    suppressed for what they say, in a row or column whose total is shown and
    whose figures not known from an earlier report add up to less than K, in
    people or in engagements (the attacker subtracts the known ones from the
    total and is left with them)."""
    unknown = hidden - fixed
    found = []
    for r, c in sorted(must - fixed):
        lines = []
        if table.row_totals and c != T and (r, T) not in unknown:
            lines.append([q for q in unknown if q[0] == r and q[1] != T])
        if table.col_totals and r != T and (T, c) not in unknown:
            lines.append([q for q in unknown if q[1] == c and q[0] != T])
        if any(
            sum(table.cells[q].values[m] for q in line) < k
            for line in lines
            for m in range(len(table.measures))
        ):
            found.append((r, c))
    return found


def withhold(table: Table) -> set[Pos]:
    """A table no suppression pattern protects, withheld whole: every figure but
    its anchors (shown in every table) and the rows about no one (zeros, known
    from their anchor). Figures an earlier report published are not shown again
    either: the attacker cannot tell which still hold. Each figure hidden then
    ranges from 0 to its row's anchor (at least K people in K engagements:
    `choose_rows`), or is bound by no total at all."""
    anchors = table.anchors()
    hidden = set()
    for pos in table.positions():
        if pos in anchors:
            continue
        if table.anchored and pos[0] != T and table.cells[(pos[0], T)].values[0] == 0:
            continue
        hidden.add(pos)
    return hidden


# -- reports together ----------------------------------------------------------------

Sig = tuple[tuple[int, ...], int, int]
"""A figure's values and who contributed what, as (values, hash, index among the
contributions with that hash): equal exactly when both are, without keeping a
frozenset of every person per figure (the totals hold every person)."""


class History:
    """The new report's tables and the earlier reports' together, as the attacker
    sees them: a figure with the same people contributing the same in two reports
    is one unknown (rule 4 and 5). Report `now` is the new one; 0 to now-1 the
    register's, in order."""

    def __init__(self, tables: list[Table], earlier: list[Earlier], k: int) -> None:
        self.now = len(earlier)
        self.sensitive: list[set[str]] = [
            {
                t.fid(p)
                for t in r.tables
                for p in t.positions()
                if t.fid(p) not in r.published and primary(t, p, k, earlier[:i])
            }
            for i, r in enumerate(earlier)
        ]
        """Per earlier report, the figures it suppressed for what they say."""
        self.tables: list[dict[str, Table]] = [{t.name: t for t in r.tables} for r in earlier]
        self.tables.append({t.name: t for t in tables})
        self.hidden: list[set[str]] = [
            {t.fid(p) for t in r.tables for p in t.positions() if t.fid(p) not in r.published}
            for r in earlier
        ]
        self.hidden.append(set())
        self._sigs: dict[tuple[int, str, Pos], Sig] = {}
        self._figure_sigs: dict[int, tuple[Figure, Sig]] = {}
        self._widths: dict[
            tuple[str, frozenset[tuple[Pos, int]], int], tuple[float, frozenset[int]]
        ] = {}
        """`joint_width` of the directions that move in earlier reports only."""
        """By the figure itself, for reports that share their tables (the figure is
        kept: its id is never another's while it is here)."""
        self._contribs: dict[int, list[Mapping[str, Token]]] = {}
        self._hidden_in: dict[tuple[str, Sig], set[int]] = {}
        self._published: set[tuple[str, Sig]] = set()
        for r, report in enumerate(earlier):
            for t in report.tables:
                for pos in t.positions():
                    fid = t.fid(pos)
                    key = (fid, self.sig(r, t, pos))
                    if fid in report.published:
                        self._published.add(key)
                    else:
                        self._hidden_in.setdefault(key, set()).add(r)
        self._was_hidden: set[str] = set()
        self.unresolved: list[tuple[int, str, Pos]] = []
        """Earlier figures `earlier_needs` found no rectangle for, at its last run."""
        self._touching: set[tuple[int, str]] = set()
        """(earlier report, table) whose figures are the same unknowns as the new
        report's, directly or through other earlier reports."""
        if not earlier:
            return
        links: dict[str, dict[int, set[int]]] = {}
        for t in tables:
            for pos in t.positions():
                found = self._hidden_in.get((t.fid(pos), self.sig(self.now, t, pos)), set())
                if found:
                    self._was_hidden.add(t.fid(pos))
                    for r in found:
                        links.setdefault(t.name, {}).setdefault(self.now, set()).add(r)
        for (fid, _), found in self._hidden_in.items():
            name = fid.split("|", 1)[0]
            for r in found:
                links.setdefault(name, {}).setdefault(r, set()).update(found - {r})
        for name, graph in links.items():
            seen, todo = {self.now}, [self.now]
            while todo:
                for r in graph.get(todo.pop(), ()):
                    if r not in seen:
                        seen.add(r)
                        todo.append(r)
            self._touching |= {(r, name) for r in seen if r != self.now}

    def sig(self, r: int, table: Table, pos: Pos) -> Sig:
        key = (r, table.name, pos)
        found = self._sigs.get(key)
        if found is None:
            fig = table.cells[pos]
            shared = self._figure_sigs.get(id(fig))
            if shared is not None and shared[0] is fig:  # a table two reports share
                self._sigs[key] = shared[1]
                return shared[1]
            h = hash(Entries.of(fig.contrib))
            same = self._contribs.setdefault(h, [])
            i = next((j for j, other in enumerate(same) if other == fig.contrib), len(same))
            if i == len(same):
                same.append(fig.contrib)
            found = (tuple(fig.values), h, i)
            self._sigs[key] = found
            self._figure_sigs[id(fig)] = (fig, found)
        return found

    def hidden_before(self, fid: str) -> bool:
        """Rule 4: an earlier report suppressed this figure, with the same people
        contributing the same."""
        return fid in self._was_hidden

    def hide(self, table: Table, hidden: set[Pos]) -> None:
        mine = self.hidden[self.now]
        mine -= {table.fid(p) for p in table.positions()}
        mine |= {table.fid(p) for p in hidden}

    def joint_width(
        self, name: str, direction: Direction, start: int
    ) -> tuple[float, set[int], set[Pos]]:
        """How far `direction` (a rectangle of table `name` in report `start`) can
        move a figure given every report: it moves in every report sharing an
        unknown with those it moves in already, and in each its corners must be
        suppressed and stay non-negative. Returns the width (-1: it cannot move),
        the reports it moves in, and the new report's corners not yet suppressed."""
        if self.now == 0:
            alone = self.tables[start][name]
            return width(alone.cells, direction, len(alone.measures)), {start}, set()
        key = (name, frozenset(direction.items()), start)
        known = self._widths.get(key)
        if known is not None:
            return known[0], set(known[1]), set()
        found = self._joint_width(name, direction, start)
        if self.now not in found[1]:
            # earlier reports only: their suppression is fixed, so is the answer
            self._widths[key] = (found[0], frozenset(found[1]))
        return found

    def _joint_width(
        self, name: str, direction: Direction, start: int
    ) -> tuple[float, set[int], set[Pos]]:
        moving, todo = {start}, [start]
        missing: set[Pos] = set()
        least = float("inf")
        while todo:
            r = todo.pop()
            table = self.tables[r].get(name)
            if table is None or any(pos not in table.cells for pos in direction):
                return -1, moving, missing
            for pos in direction:
                fid = table.fid(pos)
                key = (fid, self.sig(r, table, pos))
                if key in self._published:
                    return -1, moving, missing  # known: it cannot move
                if r == self.now:
                    if fid not in self.hidden[r]:
                        missing.add(pos)
                elif fid not in self.hidden[r]:
                    return -1, moving, missing
                linked = set(self._hidden_in.get(key, ()))
                if r != self.now:
                    now = self.tables[self.now].get(name)
                    if (
                        now is not None
                        and pos in now.cells
                        and self.sig(self.now, now, pos) == key[1]
                    ):
                        linked.add(self.now)
                for other in linked - moving:
                    moving.add(other)
                    todo.append(other)
            least = min(least, width(table.cells, direction, len(table.measures)))
        return least, moving, missing

    def protects(self, r: int, name: str, pos: Pos, k: int) -> bool:
        """A figure of report `r` moves by at least K along one rectangle of
        suppressed cells, or several sharing no cell but it, in every report they
        move in (rule 5's test, with the new report's suppression as decided)."""
        table = self.tables[r][name]
        groups: dict[frozenset[int], list[Direction]] = {}
        for d in directions(table, pos):
            d = _normalised(d, pos)
            span, moving, missing = self.joint_width(name, d, r)
            if span < 0 or missing:
                continue
            if span >= k:
                return True
            groups.setdefault(frozenset(moving), []).append(d)
        return any(_combine(table, pos, g, reports, k, self) for reports, g in groups.items())

    def earlier_needs(self, k: int) -> dict[str, set[Pos]]:
        """What the new report must suppress so that every suppressed figure of an
        earlier report it shares an unknown with stays protected: the new report's
        corners of a rectangle wide enough in every report it moves in; every
        position of the table when no rectangle is (the table is then withheld)."""
        needs: dict[str, set[Pos]] = {}
        self.unresolved = []
        for r, name in sorted(self._touching):
            table = self.tables[r].get(name)
            if table is None:
                continue
            for pos in table.positions():
                fid = table.fid(pos)
                if (
                    fid not in self.sensitive[r]
                    or (fid, self.sig(r, table, pos)) in self._published
                ):
                    continue
                best: set[Pos] | None = None
                touches = False
                for d in directions(table, pos):
                    span, moving, missing = self.joint_width(name, d, r)
                    touches = touches or self.now in moving
                    if span < k:
                        continue
                    if not missing:
                        best = set()
                        break
                    if best is None or len(missing) < len(best):
                        best = missing
                if best is None and touches and self.protects(r, name, pos, k):
                    best = set()  # several rectangles, already suppressed, add up
                if best is None and touches:
                    best = (
                        set(self.tables[self.now][name].positions())
                        if name in self.tables[self.now]
                        else set()
                    )
                if best:
                    needs.setdefault(name, set()).update(best)
                    self.unresolved.append((r, name, pos))
        return needs

    def narrow(self, figures: list[tuple[int, str, Pos]], k: int) -> list[tuple[str, Pos]]:
        """Of the earlier reports' figures no rectangle showed protected, those whose
        range given every report is under K: a linear programme (scipy's HiGHS,
        values non-negative) over the tables of their name in every report, a
        figure unchanged between two reports one unknown. Run only then."""
        # what a rectangle settles needs no LP (nor scipy, ~60 MiB and 0.4 s)
        figures = [f for f in figures if not self.protects(*f, k)]
        if not figures:
            return []
        from scipy.optimize import linprog

        found: list[tuple[str, Pos]] = []
        for name in sorted({n for _, n, _ in figures}):
            unknowns: dict[tuple[str, Sig, int], int] = {}
            rows: list[dict[int, float]] = []
            rhs: list[float] = []
            for r, tables in enumerate(self.tables):
                table = tables.get(name)
                if table is None:
                    continue
                for m in range(len(table.measures)):
                    for rel in relations(table):
                        row: dict[int, float] = {}
                        b = 0.0
                        for pos, c in rel.items():
                            fid = table.fid(pos)
                            sg = self.sig(r, table, pos)
                            if (fid, sg) in self._published or fid not in self.hidden[r]:
                                b -= c * table.cells[pos].values[m]
                            else:
                                i = unknowns.setdefault((fid, sg, m), len(unknowns))
                                row[i] = row.get(i, 0.0) + c
                        if row:
                            rows.append(row)
                            rhs.append(b)
            a_eq = [[row.get(i, 0.0) for i in range(len(unknowns))] for row in rows]
            # the values each unknown takes at points that satisfy every equation:
            # the true ones, then each LP's solution. An unknown they already spread
            # over K is wide enough with no LP of its own (the same verdict)
            truth = [0.0] * len(unknowns)
            for (_, sg, m), i in unknowns.items():
                truth[i] = float(sg[0][m])
            most, least = list(truth), list(truth)
            for r, n, pos in figures:
                table = self.tables[r][name]
                if n != name:
                    continue
                for m in range(len(table.measures)):
                    at = unknowns.get((table.fid(pos), self.sig(r, table, pos), m))
                    if at is None:  # known from the reports together
                        found.append((name, pos))
                        break
                    if most[at] - least[at] >= k:
                        continue
                    goal = [0.0] * len(unknowns)
                    goal[at] = -1.0
                    high = linprog(goal, A_eq=a_eq or None, b_eq=rhs or None, bounds=(0, None))
                    if high.status == 3:  # no upper bound
                        continue
                    if high.status != 0:
                        found.append((name, pos))
                        break
                    _seen(high.x, most, least)
                    top = -high.fun
                    if top - truth[at] >= k:  # the lowest is at most the true value
                        continue
                    goal[at] = 1.0
                    low = linprog(goal, A_eq=a_eq or None, b_eq=rhs or None, bounds=(0, None))
                    if low.status != 0 or top - low.fun < k - 1e-6:
                        found.append((name, pos))
                        break
                    _seen(low.x, most, least)
        return found


def _seen(point: Iterable[float], most: list[float], least: list[float]) -> None:
    """The highest and lowest value each unknown took so far, with `point`."""
    for i, v in enumerate(point):
        most[i], least[i] = max(most[i], v), min(least[i], v)


def relations(table: Table) -> list[dict[Pos, int]]:
    """The totals a table states, as equations (coefficients summing to zero)."""
    rows = [*table.rows, T] if table.col_totals else list(table.rows)
    cols = [*table.cols, T] if table.row_totals else list(table.cols)
    out: list[dict[Pos, int]] = []
    if table.row_totals:
        for r in rows:
            out.append({(r, T): 1, **{(r, c): -1 for c in table.cols}})
    if table.col_totals:
        for c in cols:
            out.append({(T, c): 1, **{(r, c): -1 for r in table.rows}})
    return out


# -- complementary suppression -----------------------------------------------------

Direction = dict[Pos, int]


def _pairs(index: str, others: list[str]) -> list[tuple[str, int, int]]:
    """Partners of `index` along one dimension, with the two signs: opposite for
    two inner indices, the same when one of them is the total."""
    out = []
    for other in others:
        if other == index:
            continue
        same = T in (index, other)
        out.append((other, 1, 1 if same else -1))
    return out


def directions(table: Table, pos: Pos) -> list[Direction]:
    """The elementary directions through `pos`: moving along one changes no total
    the table states."""
    r, c = pos
    rows = [*table.rows, T] if table.col_totals else list(table.rows)
    cols = [*table.cols, T] if table.row_totals else list(table.cols)
    found: list[Direction] = []
    if table.row_totals and table.col_totals:
        for r2, sr, sr2 in _pairs(r, rows):
            for c2, sc, sc2 in _pairs(c, cols):
                found.append(
                    {(r, c): sr * sc, (r, c2): sr * sc2, (r2, c): sr2 * sc, (r2, c2): sr2 * sc2}
                )
    elif table.row_totals:
        for c2, sc, sc2 in _pairs(c, cols):
            found.append({(r, c): sc, (r, c2): sc2})
    elif table.col_totals:
        for r2, sr, sr2 in _pairs(r, rows):
            found.append({(r, c): sr, (r2, c): sr2})
    return found


def width(cells: Mapping[Pos, Figure], direction: Direction, measures: int) -> float:
    """How far values can move along `direction`, both ways added, staying
    non-negative: the least over the measures."""
    least = float("inf")
    for m in range(measures):
        up = min((cells[q].values[m] for q, s in direction.items() if s < 0), default=float("inf"))
        down = min(
            (cells[q].values[m] for q, s in direction.items() if s > 0), default=float("inf")
        )
        least = min(least, up + down)
    return least


def _normalised(direction: Direction, pos: Pos) -> Direction:
    """The direction with `pos` moving up."""
    if direction[pos] > 0:
        return direction
    return {q: -s for q, s in direction.items()}


def combined_width(
    cells: Mapping[Pos, Figure], pos: Pos, chosen: list[Direction], measures: int
) -> float:
    """The range of `pos` along several directions that share no cell but `pos`
    (each moving it up): their upward moves add up, and so do their downward
    moves, down to `pos` reaching zero."""
    least = float("inf")
    for m in range(measures):
        up = 0.0
        down = 0.0
        for d in chosen:
            up += min((cells[q].values[m] for q, s in d.items() if s < 0), default=float("inf"))
            down += min(
                (cells[q].values[m] for q, s in d.items() if s > 0 and q != pos),
                default=float("inf"),
            )
        least = min(least, up + min(down, cells[pos].values[m]))
    return least


def _combine(
    table: Table,
    pos: Pos,
    group: list[Direction],
    reports: frozenset[int],
    k: int,
    history: History | None,
) -> list[Direction]:
    """Directions of `group` (each moving `pos` up, all in `reports`) that share no
    cell but `pos` and together move it by at least K in every one of those
    reports; none when they cannot."""
    n = len(table.measures)
    cells = [
        table.cells if history is None else history.tables[r][table.name].cells for r in reports
    ]

    def combined(chosen: list[Direction]) -> float:
        return min(combined_width(c, pos, chosen, n) for c in cells)

    chosen: list[Direction] = []
    used: set[Pos] = set()
    for d in group:
        if used & (set(d) - {pos}):
            continue
        if chosen and combined([*chosen, d]) <= combined(chosen):
            continue
        chosen.append(d)
        used |= set(d) - {pos}
        if combined(chosen) >= k:
            return chosen
    return []


def protect(
    table: Table,
    k: int,
    must: set[Pos],
    fixed: set[Pos],
    history: History | None = None,
) -> tuple[set[Pos], set[Pos]]:
    """Rule 4: the figures to suppress (those in `must` and their complements) and
    those no direction protects. A figure is protected by one direction whose
    width is at least K (its corners then are too), else by several directions
    sharing no cell but it, whose widths add up."""
    hidden = set(must)
    protected: set[Pos] = set()
    unprotected: set[Pos] = set()
    free = not (table.row_totals or table.col_totals)
    order = {p: i for i, p in enumerate(table.positions())}
    todo = sorted(must, key=order.__getitem__)
    n = len(table.measures)
    while todo:
        pos = todo.pop(0)
        if pos in protected or pos in unprotected:
            continue
        if free:
            protected.add(pos)
            continue
        ranked: list[tuple[tuple[int, int], Direction]] = []
        for d in directions(table, pos):
            if any(q in fixed for q in d):
                continue
            new = [q for q in d if q not in hidden]
            ranked.append(((len(new), sum(table.cells[q].values[0] for q in new)), d))
        ranked.sort(key=lambda c: c[0])  # stable: ties keep the directions' order
        # the best-ranked direction wide enough is the one chosen: its width (given
        # every report, the costly part) is measured in rank order until it is found
        candidates: list[tuple[tuple[int, int], Direction, frozenset[int]]] = []
        chosen: list[Direction] = []
        for rank, d in ranked:
            d = _normalised(d, pos)
            if history is None:
                span, moving = width(table.cells, d, n), {0}
            else:
                span, moving, _ = history.joint_width(table.name, d, history.now)
            if span < 0:
                continue
            if span >= k:
                chosen = [d]
                break
            candidates.append((rank, d, frozenset(moving)))
        if not chosen:
            # several directions sharing no cell but `pos`, all moving in the same
            # reports: their widths add up in each of those reports
            for reports in sorted({c[2] for c in candidates}, key=lambda r: (len(r), sorted(r))):
                group = [d for _, d, r in candidates if r == reports]
                chosen = _combine(table, pos, group, reports, k, history)
                if chosen:
                    break
            if not chosen:
                unprotected.add(pos)
                continue
        for d in chosen:
            for q in d:
                if q not in hidden:
                    hidden.add(q)
                    todo.append(q)
        protected.add(pos)
        if len(chosen) == 1:  # one direction protects each of its corners alike
            protected.update(chosen[0])
        unprotected.discard(pos)
    return hidden, unprotected
