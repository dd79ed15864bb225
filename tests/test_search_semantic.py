"""The optional semantic backend with tiny ONNX models the test builds itself (nothing is
downloaded): a text encoder that is a lookup table of word vectors, and an image encoder that
projects a frame's mean colour. Run on the bundled sample clip's real index and key frames."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from footage.config import Settings
from footage.pipeline.embeddings import embed_missing, load_embedder
from footage.pipeline.search import search_moments
from footage.search.params import SearchParams
from footage.search.wordpiece import WordPiece
from footage.store.database import connect
from support.cli import footage

onnx = pytest.importorskip("onnx", reason="building the tiny test models needs the onnx package (pip install '.[test]')")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

DIM = 4
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "person", "stayed", "spot", "zorblax", "lookalike", "walk", "##ing", "the"]


def _save(graph: onnx.GraphProto, path: Path) -> Path:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def text_model(path: Path, rows: dict[str, np.ndarray]) -> Path:
    """input_ids (1 x n) -> one vector per token (1 x n x DIM): a table lookup, like the token
    embeddings of a real encoder, mean-pooled by footage."""
    table = np.zeros((len(VOCAB), DIM), dtype=np.float32)
    for word, vector in rows.items():
        table[VOCAB.index(word)] = vector
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["last_hidden_state"], axis=0)], "tiny_text",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, "n"])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, [1, "n", DIM])],
        [numpy_helper.from_array(table, "table")],
    )
    return _save(graph, path)


def image_model(path: Path) -> Path:
    """pixels (1 x 3 x 32 x 32) -> (mean R, mean G, mean B, 1): a frame's colour."""
    project = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], dtype=np.float32)
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["pixels"], ["mean"], axes=[2, 3], keepdims=0),
         helper.make_node("MatMul", ["mean", "project"], ["projected"]),
         helper.make_node("Add", ["projected", "one"], ["embedding"])],
        "tiny_image",
        [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, [1, 3, 32, 32])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, DIM])],
        [numpy_helper.from_array(project, "project"), numpy_helper.from_array(np.array([0, 0, 0, 1], np.float32), "one")],
    )
    return _save(graph, path)


def test_wordpiece_cuts_words_as_bert_does() -> None:
    pieces = WordPiece.from_lines(VOCAB)
    assert pieces.words("The  Walking, PERSON!") == ["the", "walking", ",", "person", "!"]
    assert pieces.pieces("walking") == ["walk", "##ing"]
    assert pieces.pieces("strolling") == ["[UNK]"]
    assert pieces.encode("walking person") == [2, 9, 10, 4, 3]
    assert len(WordPiece.from_lines(VOCAB, max_length=4).encode("person " * 10)) == 4
    with pytest.raises(ValueError, match="WordPiece"):
        WordPiece.from_lines(["hello"])


def test_settings_reject_an_image_model_without_a_text_model() -> None:
    with pytest.raises(ValueError, match="text_model"):
        SearchParams(image_model="clip.onnx")
    with pytest.raises(ValueError, match="vocab"):
        SearchParams(text_model="minilm.onnx")


@pytest.fixture
def sample_index(front_door_index: Path) -> Path:
    return front_door_index


def _copy(db: Path, to: Path) -> Path:
    """A private copy of the index (the key frames stay where they are)."""
    shutil.copy(db, to / "index.sqlite")
    return to / "index.sqlite"


def test_a_word_search_does_not_know_finds_moments_through_the_text_model(sample_index: Path, tmp_path: Path) -> None:
    db = _copy(sample_index, tmp_path)
    word = np.array([1, 0, 0, 0], np.float32)
    model = text_model(tmp_path / "text.onnx", {"stayed": word, "spot": word, "zorblax": word})
    (tmp_path / "vocab.txt").write_text("\n".join(VOCAB) + "\n")

    without = search_moments(db, "zorblax", settings=Settings(timezone="UTC"))
    assert without.results == () and not without.semantic
    assert any("semantic search is off" in note and "docs/search.md" in note for note in without.notes)

    settings = Settings(timezone="UTC", search=SearchParams(text_model=str(model), vocab=str(tmp_path / "vocab.txt")))
    found = search_moments(db, "zorblax", settings=settings)
    assert found.semantic and len(found.results) == 6
    assert all("stayed in one spot" in r.description for r in found.results)
    conn = connect(db, create=False)
    try:
        stored = conn.execute("SELECT source, count(*), min(length(vector)) FROM embeddings GROUP BY source").fetchall()
    finally:
        conn.close()
    assert [tuple(row) for row in stored] == [("text", 6, DIM * 4)]
    # vectors are stored once: a second search embeds nothing new
    embedder = load_embedder(settings.search)
    assert embedder is not None
    conn = connect(db, create=False)
    try:
        assert embed_missing(conn, embedder) == 0
    finally:
        conn.close()


def test_key_frames_are_embedded_by_an_image_model_and_found_by_what_they_look_like(sample_index: Path,
                                                                                     tmp_path: Path) -> None:
    db = _copy(sample_index, tmp_path)
    images = image_model(tmp_path / "image.onnx")
    (tmp_path / "vocab.txt").write_text("\n".join(VOCAB) + "\n")
    # first the image model alone, to learn the vector of one real key frame
    probe_text = text_model(tmp_path / "probe.onnx", {})
    probe = load_embedder(SearchParams(text_model=str(probe_text), vocab=str(tmp_path / "vocab.txt"),
                                       image_model=str(images)))
    assert probe is not None and probe.has_images
    conn = connect(db, create=False)
    try:
        keyframe = conn.execute("SELECT id, keyframe FROM moments ORDER BY id LIMIT 1").fetchone()
    finally:
        conn.close()
    from PIL import Image

    with Image.open(keyframe["keyframe"]) as picture:
        look = probe.embed_images([np.asarray(picture.convert("RGB"))])[0]
    # a text model whose word "lookalike" means that look; descriptions mean something else
    text = text_model(tmp_path / "text.onnx", {"lookalike": look, "person": np.array([0, 0, 0, -1], np.float32)})
    settings = Settings(timezone="UTC", search=SearchParams(text_model=str(text), vocab=str(tmp_path / "vocab.txt"),
                                                            image_model=str(images)))
    text_only = Settings(timezone="UTC", search=SearchParams(text_model=str(text), vocab=str(tmp_path / "vocab.txt")))
    assert search_moments(db, "lookalike", settings=text_only).results == ()
    found = search_moments(db, "lookalike", settings=settings)
    semantic = {r.id: r.semantic for r in found.results}
    assert semantic[keyframe["id"]] == pytest.approx(1.0, abs=1e-4)  # its own key frame
    assert len(semantic) == 6 and all(value is not None and value >= 0.5 for value in semantic.values())
    conn = connect(db, create=False)
    try:
        counts = conn.execute("SELECT model, source, count(*) FROM embeddings GROUP BY model, source").fetchall()
    finally:
        conn.close()
    # each model keeps its own vectors: the text-only one, and the text + image one
    assert sorted((row[0].count("+"), row[1], row[2]) for row in counts) == [(0, "text", 6), (1, "image", 6), (1, "text", 6)]


def test_a_missing_model_file_is_one_clear_line(sample_index: Path, tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text(f'[search]\ntext_model = "{tmp_path / "gone.onnx"}"\nvocab = "{tmp_path / "vocab.txt"}"\n')
    out = footage("search", "zorblax", "--db", str(sample_index), "--config", str(config))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "gone.onnx" in out.stderr and "not found" in out.stderr
    json_out = footage("search", "zorblax", "--db", str(sample_index), "--format", "json")
    assert json.loads(json_out.stdout)["semantic"] is False
