"""aoi: a terminal companion for coaches. The core (this package, minus
`aoi_tui.screens`) never imports Textual."""

__version__ = "0.1.0"
