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
4. **Complementary suppression.** Every suppressed figure is protected by a
   direction of change: a rectangle of suppressed cells (corners may be margins)
   along which values can move, every total shown staying the same, by at least K
   in all, without any value going negative. Its corners are suppressed with it.
   The range a suppressed figure can take given everything shown (and every known
   figure) is then at least K wide. Tables are protected one by one: they share
   only the anchors, which are shown.

The attacker this guards against holds every report of the programme and knows
which figures did not change; what it does not model: relations between tables
that are not equalities of totals (more people than engagements in a cell,
sessions held after the start)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from aoi_tui.programme.definition import ProgrammeError
from aoi_tui.programme.tables import OTHER, Figure, Pos, T, Table, Token

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
    contrib: dict[str, dict[str, Token]]
    """Figure id -> what each person contributed to it then (every figure)."""


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
    return sum(1 for p in a.keys() | b.keys() if a.get(p) != b.get(p))


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
    for table in tables:
        fixed = table.anchors()
        must: set[Pos] = set()
        known = 0
        for pos in table.positions():
            why = primary(table, pos, k, earlier)
            if is_known(table, pos, earlier):
                fixed.add(pos)
                known += 1 if why else 0
                continue
            if why and pos not in fixed:
                must.add(pos)
                decision.reasons |= why
        hidden, unprotected = protect(table, k, must, fixed)
        if unprotected:
            hidden, unprotected = withhold(table), set()
            decision.withheld.add(table.name)
            known = 0
        decision.known += known
        if hidden - must:
            decision.reasons.add(COMPLEMENT)
        decision.suppressed[table.name] = hidden
        decision.unprotected += [(table.name, p) for p in sorted(unprotected)]
    return decision


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


def protect(table: Table, k: int, must: set[Pos], fixed: set[Pos]) -> tuple[set[Pos], set[Pos]]:
    """Rule 4: the figures to suppress (those in `must` and their complements) and
    those no direction protects. A figure is protected by one direction whose
    width is at least K (its corners then are too), else by several directions
    sharing no cell but it, whose widths add up."""
    hidden = set(must)
    protected: set[Pos] = set()
    unprotected: set[Pos] = set()
    free = not (table.row_totals or table.col_totals)
    order = {p: i for i, p in enumerate(table.positions())}
    todo = sorted(hidden, key=order.__getitem__)
    n = len(table.measures)
    while todo:
        pos = todo.pop(0)
        if pos in protected or pos in unprotected:
            continue
        if free:
            protected.add(pos)
            continue
        candidates: list[tuple[tuple[int, int], Direction]] = []
        for d in directions(table, pos):
            if any(q in fixed for q in d):
                continue
            new = [q for q in d if q not in hidden]
            candidates.append(
                ((len(new), sum(table.cells[q].values[0] for q in new)), _normalised(d, pos))
            )
        candidates.sort(key=lambda c: c[0])
        single = [d for _, d in candidates if width(table.cells, d, n) >= k]
        if single:
            chosen = [single[0]]
        else:
            chosen = []
            used: set[Pos] = set()
            for _, d in candidates:
                if used & (set(d) - {pos}):
                    continue
                if (
                    combined_width(table.cells, pos, [*chosen, d], n)
                    <= combined_width(table.cells, pos, chosen, n)
                    and chosen
                ):
                    continue
                chosen.append(d)
                used |= set(d) - {pos}
                if combined_width(table.cells, pos, chosen, n) >= k:
                    break
            else:
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
