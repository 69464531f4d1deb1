"""The lead's report over a large programme: feeds for 5,000 engagements from 20
coaches over 14 sites (individual engagements, teams, peer groups; every status),
each sealed to the lead's age key as `aoi programme feed` writes it; then the
report as `aoi programme report` makes it: decrypt and check every feed, merge,
build the tables, disclosure control (against a register of one earlier report),
render HTML, Markdown, JSON and CSV.

    python benchmarks/programme.py [--engagements 5000] [--coaches 20] [--runs 3] [--earlier 1]

`--earlier N` makes N reports before the one timed, with changes in between (the
register grows by one entry with every report written: each earlier report is
rebuilt from its entry and checked with the new one).

Targets (issue 14): the report <= 2 s, peak memory <= 200 MiB (the process's
peak RSS, Python and the libraries included). Each run is a process of its own,
as `aoi programme report` is: the peak printed is the highest of one report's.
Prints the figures; asserts none."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aoi_tui.programme import age
from aoi_tui.programme.definition import Programme
from aoi_tui.programme.feed import seal_feed
from aoi_tui.programme.render import render
from aoi_tui.programme.report import build_report, read_feeds
from tests.programme_support import evolve, programme, world


def peak_mib() -> float:
    """This process's peak RSS. On Linux from /proc (VmHWM): getrusage's maxrss
    keeps, across the exec that started this process, the size of the parent it
    was forked from (here the one that made the feeds and earlier reports)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 1024 / 1024


def prepare(folder: Path, engagements: int, coaches: int, sites: int, earlier: int = 1) -> None:
    """Sealed feeds (a round after changes) and the register of the reports made
    from the `earlier` rounds before it, in `folder`."""
    keys = age.new_key_pair()
    w = world(14, sites=sites, engagements=engagements, coaches=coaches, k=5, tiny=2)
    w.prog = programme(sites, 5, lead_key=keys.public).model_copy(update={"id": w.prog.id})
    register: list[dict[str, object]] = []
    for i in range(earlier):
        _, entry = build_report(w.prog, w.feeds(i), register, w.today)
        register.append(entry)
        evolve(w, 99 + i, engagements // 20)
    t0 = time.perf_counter()
    for i, (_, feed) in enumerate(w.feeds(earlier)):
        (folder / f"feed{i:02d}.age").write_bytes(seal_feed(feed, w.prog))
    sealing = time.perf_counter() - t0
    people = sum(len(e.participants) for _, f in w.feeds(earlier) for e in f.engagements)
    (folder / "state.json").write_text(
        json.dumps(
            {
                "programme": w.prog.model_dump(mode="json"),
                "secret": keys.secret,
                "register": register,
                "today": w.today.isoformat(),
                "people": people,
                "sealing": sealing,
            }
        )
    )


def report(folder: Path) -> dict[str, float]:
    """One report from the sealed feeds, as the lead's store makes it, in a process
    of its own as `aoi programme report` runs (its peak memory is the report's):
    its times, figures suppressed and peak, as JSON on the last line."""
    state = json.loads((folder / "state.json").read_text())
    prog = Programme.model_validate(state["programme"])
    today = date.fromisoformat(state["today"])
    blobs = [(p.name, p.read_bytes()) for p in sorted(folder.glob("feed*.age"))]
    read = dict(blobs).__getitem__
    w0, c0 = time.perf_counter(), time.process_time()
    _, _, feeds = read_feeds([n for n, _ in blobs], read, lambda _: (prog, state["secret"]))
    t1 = time.perf_counter()
    made, _ = build_report(prog, feeds, state["register"], today)
    t2 = time.perf_counter()
    for fmt in ("html", "md", "json", "csv"):
        render(made, fmt, "fr")
    t3 = time.perf_counter()
    return {
        "wall": t3 - w0,
        "cpu": time.process_time() - c0,
        "decrypt and check": t1 - w0,
        "report": t2 - t1,
        "render": t3 - t2,
        "suppressed": made.decision.count,
        "peak": peak_mib(),
    }


def summary(folder: Path, runs: list[dict[str, float]]) -> None:
    state = json.loads((folder / "state.json").read_text())
    blobs = sorted(folder.glob("feed*.age"))
    size = sum(p.stat().st_size for p in blobs)
    print(
        f"{len(blobs)} feeds, {size / 1024:.0f} KiB sealed, {state['people']} people "
        f"(sealing them all: {state['sealing']:.2f} s)"
    )

    def median(name: str) -> float:
        return statistics.median(r[name] for r in runs)

    print(
        "report (decrypt + check + merge + tables + disclosure against the register + "
        f"4 formats): median {median('wall'):.2f} s wall, {median('cpu'):.2f} s CPU, "
        f"over {len(runs)} runs, each in a process of its own  (target <= 2 s)"
    )
    for name in ("decrypt and check", "report", "render"):
        print(f"  {name}: median {median(name) * 1000:.0f} ms")
    print(f"figures suppressed: {runs[-1]['suppressed']:.0f}")
    peak = max(r["peak"] for r in runs)
    print(f"peak RSS of the report's process: {peak:.0f} MiB  (target <= 200 MiB)")
    print(f"load average while measured: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engagements", type=int, default=5000)
    parser.add_argument("--coaches", type=int, default=20)
    parser.add_argument("--sites", type=int, default=14)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--earlier", type=int, default=1, help="reports made before")
    parser.add_argument("--report-only", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.report_only:
        print(json.dumps(report(Path(args.report_only))))
        return
    with tempfile.TemporaryDirectory() as folder:
        prepare(Path(folder), args.engagements, args.coaches, args.sites, args.earlier)
        print(
            f"programme: {args.engagements} engagements at first, {args.coaches} coaches, "
            f"{args.sites} sites; {args.earlier} report(s) made, each followed by "
            f"{args.engagements // 20} changes"
        )
        runs = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, __file__, "--report-only", folder],
                check=True,
                capture_output=True,
                text=True,
            )
            runs.append(json.loads(done.stdout.splitlines()[-1]))
        summary(Path(folder), runs)


if __name__ == "__main__":
    main()
