"""Spread indexing over processes or a Ray cluster: chunk plans, stitching, executors."""
