"""The Textual UI. It depends on the core (`aoi_tui`); the core never imports it."""
