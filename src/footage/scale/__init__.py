"""Where and in what pieces recordings are analysed: chunk plans, stitching, executors (this
process, worker processes, a Ray cluster)."""
