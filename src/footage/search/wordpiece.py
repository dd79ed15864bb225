"""WordPiece tokenisation, as BERT-family text encoders expect it (uncased vocab.txt files).

Text is lowercased, accents are stripped, it is split at spaces and punctuation, and each word is
cut greedily into the longest pieces the vocabulary has ("walking" -> "walk", "##ing"); a word
with no such cut becomes ``[UNK]``. The sequence is framed by ``[CLS]`` and ``[SEP]``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

__all__ = ["WordPiece"]


class WordPiece:
    """A tokenizer over one vocabulary (token -> id, in file order)."""

    def __init__(self, vocab: Mapping[str, int], max_length: int = 128, max_word_chars: int = 100) -> None:
        missing = [t for t in ("[UNK]", "[CLS]", "[SEP]") if t not in vocab]
        if missing:
            raise ValueError(f"vocabulary lacks {', '.join(missing)}: not a BERT-style WordPiece vocab.txt")
        self.vocab = dict(vocab)
        self.max_length = max_length
        self.max_word_chars = max_word_chars

    @classmethod
    def from_lines(cls, lines: Sequence[str], max_length: int = 128) -> WordPiece:
        """From the lines of a ``vocab.txt`` (one token per line; the line number is the id)."""
        return cls({line.rstrip("\n"): n for n, line in enumerate(lines) if line.rstrip("\n")}, max_length)

    def words(self, text: str) -> list[str]:
        """Lowercased, accent-free words and single punctuation marks."""
        text = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")
        out: list[str] = []
        for chunk in text.split():
            word = ""
            for char in chunk:
                if unicodedata.category(char).startswith("P") or (char.isascii() and not char.isalnum()):
                    if word:
                        out.append(word)
                    out.append(char)
                    word = ""
                else:
                    word += char
            if word:
                out.append(word)
        return out

    def pieces(self, word: str) -> list[str]:
        """The greedy longest-match cut of one word, or ``["[UNK]"]``."""
        if len(word) > self.max_word_chars:
            return ["[UNK]"]
        found: list[str] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found.append(piece)
                    break
                end -= 1
            else:
                return ["[UNK]"]
            start = end
        return found

    def encode(self, text: str) -> list[int]:
        """Token ids ``[CLS] ... [SEP]``, at most ``max_length`` of them."""
        pieces = [piece for word in self.words(text) for piece in self.pieces(word)][: self.max_length - 2]
        return [self.vocab["[CLS]"], *(self.vocab[p] for p in pieces), self.vocab["[SEP]"]]
