"""Programmes: many engagements of several coaches, seen by the client only as
figures about groups of people (issue 14). Loaded by `aoi programme` alone."""
