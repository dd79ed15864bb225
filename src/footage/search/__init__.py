"""Search: read a plain-language query (``query``, with ``words``, ``when``, ``durations``),
rank stored moments against it (``rank``), score a labelled query set (``evaluate``), and the
pure side of the optional embedding backend (``semantic``, ``wordpiece``). Pure throughout: the
ONNX adapter is in :mod:`footage.embed`, the SQL in :mod:`footage.store.search` and the wiring in
:mod:`footage.pipeline.search`."""
