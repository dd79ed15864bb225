"""The pose model shipped with footage (see PROVENANCE.md beside it)."""
