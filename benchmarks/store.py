"""Note-save latency on a large store, against a store of one engagement.

    python benchmarks/store.py --data-dir DIR --engagements 300 --notes 1000

Builds DIR (or reuses it) keyed the way aoi is: AOI_PASSPHRASE if set, else
the passphrase printed below, so `aoi --data-dir DIR` opens it afterwards.
Prints p50/p95 of durable, encrypted note saves, and the p50 ratio against a
one-engagement store with the same number of notes (built in DIR-single).
Targets (issue 2): p95 <= 10 ms at 300 x 1,000; p50 ratio <= 1.5."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from aoi_tui.access.opening import create_store, open_store
from aoi_tui.domain.models import Engagement, Note, NoteKind, SessionKind, Visibility
from aoi_tui.store.store import Store, store_exists

DEFAULT_PASSPHRASE = "benchmark passphrase"
TEXT = (
    "Observation en atelier : la consigne est donnée face à l'équipe, reformulation "
    "demandée ; point sécurité fait en début de poste. "
)


def build(root: Path, engagements: int, notes: int) -> Store:
    passphrase = os.environ.setdefault("AOI_PASSPHRASE", DEFAULT_PASSPHRASE)
    if store_exists(root):
        store = open_store(root, prompt=None, use_keyring=False)
    else:
        store, _ = create_store(root, passphrase)
    have = len(store.list_engagements())
    started = time.perf_counter()
    for i in range(have, engagements):
        ef = store.create_engagement(
            Engagement(coachee=f"Coachee {i}", sponsor=f"Sponsor {i}", coach="Bench")
        )
        session = ef.new_session(SessionKind.AOI)
        with ef.batch():
            for j in range(notes):
                ef.insert(
                    Note(
                        session=session.number,
                        phase="field",
                        text=f"{TEXT}#{j}",
                        kind=NoteKind.OBSERVATION,
                        visibility=Visibility.SHAREABLE if j % 3 == 0 else Visibility.PRIVATE,
                    )
                )
        if (i + 1) % 25 == 0:
            print(f"  built {i + 1}/{engagements} engagements", file=sys.stderr)
    if engagements > have:
        print(f"  built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return store


def measure(store: Store, saves: int) -> list[float]:
    """Durable saves into the first engagement; the measured notes are removed after."""
    summary = store.list_engagements()[0]
    ef = store.engagement(summary.id)
    session = ef.sessions()[0].number
    times: list[float] = []
    added: list[str] = []
    for k in range(saves):
        t0 = time.perf_counter()
        note = ef.add_note(session, f"{TEXT} mesure {k}", phase="field")
        times.append(time.perf_counter() - t0)
        added.append(note.id)
    with ef.batch():
        for note_id in added:
            ef.delete(Note, note_id)
    return times


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data-dir", required=True, type=Path)
    ap.add_argument("--engagements", type=int, default=300)
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--saves", type=int, default=200, help="measured saves")
    args = ap.parse_args()

    print(f"Store: {args.engagements} engagements x {args.notes} notes in {args.data_dir}")
    big = build(args.data_dir, args.engagements, args.notes)
    single_dir = args.data_dir.with_name(args.data_dir.name + "-single")
    single = build(single_dir, 1, args.notes)

    measure(big, 10)  # warm the caches
    measure(single, 10)
    big_t = measure(big, args.saves)
    single_t = measure(single, args.saves)
    p50_big, p95_big = pct(big_t, 50), pct(big_t, 95)
    p50_one, p95_one = pct(single_t, 50), pct(single_t, 95)
    ratio = p50_big / p50_one
    print(
        f"note save, {args.engagements} engagements: p50 {p50_big:.2f} ms  p95 {p95_big:.2f} ms  "
        f"(mean {statistics.mean(big_t) * 1000:.2f} ms)"
    )
    print(f"note save, 1 engagement:       p50 {p50_one:.2f} ms  p95 {p95_one:.2f} ms")
    print(
        f"p50 ratio: {ratio:.2f}   targets: p95 <= 10 ms -> {'ok' if p95_big <= 10 else 'MISSED'}; "
        f"ratio <= 1.5 -> {'ok' if ratio <= 1.5 else 'MISSED'}"
    )
    if os.environ.get("AOI_PASSPHRASE") == DEFAULT_PASSPHRASE:
        print(
            f"(open it with: AOI_PASSPHRASE='{DEFAULT_PASSPHRASE}' aoi --data-dir {args.data_dir})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
