"""A writer killed with SIGKILL at random moments, many times: afterwards the
store opens and holds every note whose save was acknowledged. Leftover
temporary files are allowed; `aoi doctor` reports them and removes them."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from aoi_tui.secure.storage import decrypt_file
from aoi_tui.store.doctor import TMP_IN_PROGRESS_S, run_doctor
from aoi_tui.store.store import INDEX, INDEX_ID, Store
from tests.test_store import eng_path, new_engagement, reopen

# Opens the store with the master key (hex, from the environment), prints
# "ready", optionally waits for a line on stdin, then either adds notes to one
# engagement or creates engagements, printing each id only once the call that
# saved it has returned.
WRITER = r"""
import os, sys
from pathlib import Path
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.domain.models import Engagement, SessionKind
from aoi_tui.store.store import KEYS, Store

root, mode, target, count, label = Path(sys.argv[1]), *sys.argv[2:6]
master = bytes.fromhex(os.environ["AOI_TEST_MASTER"])
store = Store(root, KeyFile.load(root / KEYS), master)
if mode == "notes":
    ef = store.engagement(target)
    ef.notes()
print("ready", flush=True)
if os.environ.get("AOI_TEST_WAIT"):
    sys.stdin.readline()
for i in range(int(count)):
    if mode == "notes":
        saved = ef.add_note(1, f"{label} {i}").id
    else:
        saved = store.create_engagement(Engagement(coachee=f"{label} {i}", sponsor="N+1")).id
        store.engagement(saved).new_session(SessionKind.AOI)
    sys.stdout.write(saved + "\n")
    sys.stdout.flush()
"""


def spawn_writer(
    store: Store, mode: str, target: str, count: int, label: str, wait: bool = False
) -> subprocess.Popen[str]:
    env = dict(os.environ, AOI_TEST_MASTER=store.master.hex())
    if wait:
        env["AOI_TEST_WAIT"] = "1"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store.root), mode, target, str(count), label],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    ready = proc.stdout.readline()
    assert ready == "ready\n", (ready, proc.stderr.read() if proc.stderr else "")
    return proc


def acknowledged(proc: subprocess.Popen[str]) -> list[str]:
    out, _ = proc.communicate()
    return out.split()


ROUNDS = 25


def test_a_killed_writer_never_loses_an_acknowledged_note(store: Store) -> None:
    ef = new_engagement(store)
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    saved: set[str] = set()
    cut_short = 0
    for round_ in range(ROUNDS):
        proc = spawn_writer(store, "notes", ef.id, 100_000, f"round {round_}")
        first: list[str] = []
        if round_ % 5:  # most rounds once writing has begun: on a loaded machine the
            # writer may not even start within a fixed delay ("rarely killed", CI)
            assert proc.stdout is not None
            first = proc.stdout.readline().split()
        time.sleep(rng.uniform(0.0, 0.2))
        proc.send_signal(signal.SIGKILL)
        ids = first + acknowledged(proc)
        assert proc.returncode == -signal.SIGKILL, f"seed {seed}: the writer ended early"
        cut_short += bool(ids)
        saved.update(ids)

        # A new process, a new cache: the file opens and holds every acknowledged note.
        notes = reopen(store).engagement(ef.id).notes()
        on_disk = [n.id for n in notes]
        assert len(on_disk) == len(set(on_disk))
        missing = saved - set(on_disk)
        assert not missing, f"seed {seed}, round {round_}: {len(missing)} acknowledged notes lost"
    assert cut_short >= ROUNDS // 2, "the writer was rarely killed while saving"

    # Every file still decrypts; leftovers of interrupted writes are the only findings.
    decrypt_file(eng_path(store, ef.id), store.engagement_key(ef.id), ef.id)
    decrypt_file(store.root / INDEX, store.master, INDEX_ID)
    leftovers = set(store.root.rglob(".*.tmp"))
    stale = time.time() - TMP_IN_PROGRESS_S - 1  # a fresh one may be a write in progress
    for path in leftovers:
        os.utime(path, (stale, stale))
    report = run_doctor(store.root, lambda: reopen(store))
    assert {f.path for f in report.findings} == leftovers
    assert {f.problem for f in report.findings} <= {"leftover temporary file"}
    report = run_doctor(store.root, lambda: reopen(store), repair=True)
    assert report.healthy
    assert not list(store.root.rglob(".*.tmp"))
    assert run_doctor(store.root, lambda: reopen(store)).findings == []
    assert saved <= {n.id for n in reopen(store).engagement(ef.id).notes()}


def test_a_writer_killed_while_creating_engagements_leaves_an_openable_store(
    store: Store,
) -> None:
    rng = random.Random()
    created: set[str] = set()
    for round_ in range(6):
        proc = spawn_writer(store, "engagements", "-", 1000, f"Coachee {round_}")
        first: list[str] = []
        if round_ % 3:  # once creating has begun: a loaded machine started it too late
            assert proc.stdout is not None
            first = proc.stdout.readline().split()
        time.sleep(rng.uniform(0.05, 0.25))
        proc.send_signal(signal.SIGKILL)
        created.update(first + acknowledged(proc))
        again = reopen(store)
        listed = {s.id for s in again.list_engagements()}
        assert created <= listed
        for eid in created:
            assert [s.number for s in again.engagement(eid).sessions()] == [1]
    assert created
    # A creation cut short leaves at most a file nobody can read: doctor clears it.
    report = run_doctor(store.root, lambda: reopen(store), repair=True)
    assert report.healthy, report.human()
    assert run_doctor(store.root, lambda: reopen(store)).findings == []
    assert created <= {s.id for s in reopen(store).list_engagements()}
