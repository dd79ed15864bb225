"""In what pieces a long recording is analysed, and how the pieces are put back together: chunk
plans that overlap so no track is cut, and stitching the tracks of neighbouring chunks. Pure: the
executors that run the chunks (this process, worker processes, a Ray cluster) are in
:mod:`footage.pipeline.executors` and :mod:`footage.pipeline.ray_cluster`."""
