import sys

from aoi_tui.cli import main

sys.exit(main())
