"""The `aoi` command: its parser and one module per command group."""

from aoi_tui.cli.parser import main

__all__ = ["main"]
