"""A camera as one timeline (pure): its recordings joined into stretches, the pieces of an object
that a file boundary split linked into one, the window of the timeline that a new recording can
change, and the moments found there matched to the ones stored, so a moment keeps its id as it
grows. No I/O here: :mod:`footage.pipeline.timeline` reads the index and stores what these
functions decide.

Timeline time is seconds since :data:`~footage.timeline.clock.ORIGIN_US` (2000-01-01 UTC), the
same for every recording of every camera, so that rules run over tracks of several files on one
clock, and sample grids do not depend on which file came first.
"""
