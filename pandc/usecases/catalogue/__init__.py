"""Use-case catalogues: data tables, one per encoding, that the generic walkers read."""
