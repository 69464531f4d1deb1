"""Screenshots for the README (SVG, as Textual saves them), on the demo
engagement with a fixed clock:

    .venv/bin/python scripts/screenshots.py [--lang fr|en] [--out docs/screens]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("AOI_NOW", "2026-11-23T10:00:00+01:00")
os.environ.setdefault("AOI_CARD_SEED", "7")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


async def shoot(out: Path, lang: str) -> None:
    from aoi_tui.config import i18n

    i18n.set_language(lang)
    from aoi_tui.access.opening import create_store
    from aoi_tui.demo import create_demo
    from aoi_tui.screens.app import AoiApp

    root = Path(tempfile.mkdtemp()) / "data"
    store, _ = create_store(root, "screenshots only")
    create_demo(store)
    app = AoiApp(root, store)
    async with app.run_test(size=(100, 30)) as pilot:

        async def save(name: str) -> None:
            await pilot.pause(0.3)
            app.save_screenshot(filename=f"{name}.svg", path=str(out))
            print(out / f"{name}.svg")

        await save("engagements")
        await pilot.press("enter")
        await save("engagement")
        await pilot.press("n", "enter")
        await pilot.pause(0.5)
        for text, keys in (
            ("Reformule la consigne du jour face à l'équipe", ["f4"]),
            ("Point sécurité fait en 3 minutes, chacun a répondu", []),
        ):
            for key in keys:
                await pilot.press(key)
            await pilot.press(*text)
            await pilot.press("enter")
            await pilot.pause(0.3)
        await save("session-review")
        await pilot.press("f6")
        await pilot.press(*"Laisse le chef d'équipe conduire le point")
        await pilot.press("enter")
        await save("session-field")
        await pilot.press("f9")
        await save("debrief")
        await pilot.press("escape", "escape")
        await pilot.press("p")
        await pilot.press("right")
        await save("fsac")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lang", default="fr", choices=["fr", "en"])
    ap.add_argument("--out", type=Path, default=Path("docs/screens"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    asyncio.run(shoot(args.out.resolve(), args.lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
