"""Embedding models run with onnxruntime: the adapters that turn text (and, optionally, pictures)
into vectors for semantic search. ``footage.search`` holds the pure side (vectors, similarity,
the tokenizer) and imports no runtime; this package is where one is loaded."""
