"""Data shipped with aoi (phases, card decks, referentials, catalogs, export CSS, the
served page, the demo engagements), read with importlib.resources."""
