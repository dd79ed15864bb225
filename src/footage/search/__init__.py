"""Search: read a plain-language query (``query``, with ``words``, ``when``, ``durations``),
rank stored moments against it (``rank``), score a labelled query set (``evaluate``), and the
optional embedding backend (``semantic``, ``wordpiece``, ``onnx_embedder``). Pure apart from the
ONNX adapter; the SQL is in :mod:`footage.store.search` and the wiring in
:mod:`footage.pipeline.search`."""
