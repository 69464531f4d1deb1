"""aoi: a terminal companion for coaches. The core (this package, minus
`aoi_tui.screens`) never imports Textual."""

__version__ = "0.1.0"

import os as _os

# No pydantic plugin is used: skip their entry-point scan at start-up.
_os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
