"""Data hygiene (docs/data-hygiene.md): finding duplicate residents' files,
merging them, and handing a leaving worker's recipients and cases on.

These modules sit above the registries they tidy: a merge re-points the
records of grading, matching and casework, so nothing in people's own
modules imports them (tests/test_layers.py)."""
