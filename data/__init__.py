"""Data shipped with aoi (phases, card decks, referentials), read with importlib.resources."""
