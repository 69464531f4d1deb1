"""Python's collector in a live session of 2,000 notes: resuming the session, opening
the debrief and coming back run no full collection with aoi's setting
(`collect_garbage_for_a_live_session`); with Python's own, several did, each walking
every object aoi held (0.1 to 0.2 s in the middle of the step). Counted in a
process of its own: the setting is the whole process's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from aoi_tui.demo import create_demo
from aoi_tui.domain import clock
from aoi_tui.domain.models import Note
from aoi_tui.domain.vocabulary import SessionKind
from aoi_tui.live import session_clock
from aoi_tui.store.store import Store
from tests.support import PASSPHRASE

pytestmark = [pytest.mark.tui, pytest.mark.slow]

STEPS = r"""
import asyncio, gc, sys
from pathlib import Path
from aoi_tui.access.opening import open_store
from aoi_tui.screens.app import AoiApp, collect_garbage_for_a_live_session
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.screens.engagement_list import EngagementList
from aoi_tui.screens.engagements import EngagementsScreen
from aoi_tui.screens.session import SessionScreen

full = []
gc.callbacks.append(
    lambda phase, info: full.append(1) if phase == "stop" and info["generation"] == 2 else None
)
store = open_store(Path(sys.argv[1]), prompt=None, use_keyring=False)
if sys.argv[2] == "aoi":
    collect_garbage_for_a_live_session()


async def main():
    app = AoiApp(store.root, store)
    async with app.run_test(size=(80, 24)) as pilot:

        async def to(key, screen):
            await pilot.press(key)
            for _ in range(6000):
                if type(app.screen) is screen:
                    await pilot.pause()
                    return
                await pilot.pause(0.01)
            raise TimeoutError(screen)

        await pilot.pause(0.5)
        if not isinstance(app.screen, EngagementsScreen):  # the last run's session offered
            await to("escape", EngagementsScreen)
        listed = app.screen.query_one(EngagementList)
        listed.move_cursor(row=[row.key for row in listed.rows].index(sys.argv[3]))
        full.clear()
        for _ in range(3):
            await to("r", SessionScreen)
            await to("f9", DebriefScreen)
            await to("escape", SessionScreen)
            await to("escape", EngagementsScreen)
    print(len(full))


asyncio.run(main())
"""


def full_collections(store: Store, engagement_id: str, setting: str) -> int:
    """Full collections while a session of 2,000 notes is resumed, its debrief
    opened and closed, and the session left, three times."""
    env = {**os.environ, "AOI_PASSPHRASE": PASSPHRASE, "AOI_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-c", STEPS, str(store.root), setting, engagement_id],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_a_long_session_runs_no_full_collection(store: Store) -> None:
    engagement_id = create_demo(store)[0]
    ef = store.engagement(engagement_id)
    session = ef.new_session(SessionKind.AOI)
    session_clock.start(session, clock.now())
    ef.update(session)
    with ef.batch():
        for i in range(2000):
            ef.insert(Note(session=session.number, phase="review", text=f"old{i}"))
    ours = full_collections(store, engagement_id, "aoi")
    pythons = full_collections(store, engagement_id, "python")
    print(f"full collections in 3 rounds at 2,000 notes: aoi {ours}, Python's setting {pythons}")
    assert pythons > 0  # the steps do make work for the collector
    assert ours == 0
