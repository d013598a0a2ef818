"""Finding every occurrence of a set of terms with a vectorised bigram filter.

Why not only the Aho-Corasick automaton: pyahocorasick walks the text one character at a
time in C but looks children up linearly, ~55 ns per CJK character — 220 us for every
4,000-character article, the largest single cost of detection. Every bundled term has at
least two characters, so a term can only start where the text holds one of the terms'
first bigrams. numpy finds those positions in a few passes and Python checks the handful
of terms behind each hit. The result is the same set of ``(start, term)`` occurrences,
overlaps included, as the automaton yields; the lexicon falls back to the automaton when a
term is a single character.

How the positions are found: every character of some bigram gets a small id (0 for the
rest), and a dense ``id x id`` table holds, per bigram, its slot (0 for none). So a text
costs one id lookup, one multiply-add and one table lookup per character, then a
``nonzero``: about half the numpy calls of matching sorted bigram codes, whose fixed cost
per call dominates on article-sized texts. A lexicon whose bigrams use so many distinct
characters that the table would be large keeps that sorted-code search.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

_UNICODE = 0x110000
_SHIFT = np.uint64(21)
# the dense pair table has (characters + 1)^2 entries: ~4M (8-16 MB) at most, else sorted codes
MAX_DENSE_CHARS = 2047


class BigramPrefilter:
    """All occurrences of ``terms`` (each at least two characters long) in a text."""

    def __init__(self, terms: Iterable[str]) -> None:
        self._by_bigram: dict[str, list[str]] = {}
        for term in terms:
            if len(term) < 2:
                raise ValueError(f"term {term!r} is shorter than two characters")
            self._by_bigram.setdefault(term[:2], []).append(term)
        for terms_of_bigram in self._by_bigram.values():
            terms_of_bigram.sort(key=len, reverse=True)  # occurrences: longest first per start
        # the terms behind each slot, longest first: a hit names its slot, so the terms are
        # found without slicing the text; a 2-character term needs no string check at all.
        # Slot 0 is no bigram (the pair table's empty value), hence the empty first slot.
        bigrams = sorted(self._by_bigram)
        self._slots: list[list[str]] = [[]] + [self._by_bigram[bigram] for bigram in bigrams]
        chars = sorted({char for bigram in bigrams for char in bigram})
        self._width = len(chars) + 1
        self._pairs: np.ndarray | None = None
        if len(chars) <= MAX_DENSE_CHARS:
            self._build_dense(bigrams, chars)
        else:
            self._build_sorted(bigrams)

    def _build_dense(self, bigrams: list[str], chars: list[str]) -> None:
        """Character ids (uint16) and the ``id x id -> slot`` table."""
        self._ids = np.zeros(_UNICODE, dtype=np.uint16)
        for number, char in enumerate(chars, start=1):
            self._ids[ord(char)] = number
        width = self._width
        slot_type = np.uint16 if len(self._slots) <= 0xFFFF else np.uint32
        self._pairs = np.zeros(width * width, dtype=slot_type)
        for slot, bigram in enumerate(bigrams, start=1):
            self._pairs[int(self._ids[ord(bigram[0])]) * width + int(self._ids[ord(bigram[1])])] = slot

    def _build_sorted(self, bigrams: list[str]) -> None:
        """First/second-character masks and the sorted bigram codes (slot = index + 1)."""
        self._first = np.zeros(_UNICODE, dtype=bool)
        self._second = np.zeros(_UNICODE, dtype=bool)
        for bigram in bigrams:
            self._first[ord(bigram[0])] = True
            self._second[ord(bigram[1])] = True
        # sorted strings order as their code-point pairs, so code order is slot order
        self._codes = np.array([(ord(b[0]) << 21) | ord(b[1]) for b in bigrams], dtype=np.uint64)

    def occurrences(self, text: str) -> list[tuple[int, str]]:
        """``(start, term)`` for every occurrence of every term in ``text``, ordered by
        start, longer terms first at the same start."""
        found = []
        slots = self._slots
        starts, keys = self.bigram_hits(text)
        for start, k in zip(starts, keys, strict=True):
            for term in slots[k]:
                if len(term) == 2 or text.startswith(term, start):
                    found.append((start, term))
        return found

    def bigram_hits(self, text: str, codepoints: np.ndarray | None = None) -> tuple[list[int], list[int]]:
        """(starts, slots): every position where a term's first bigram occurs, ascending,
        with the index into ``_slots`` of the terms that begin with it (the vectorised
        part of :meth:`occurrences`, for callers that check the terms themselves).

        ``codepoints``: ``text`` as uint32 code points when the caller has them already
        (normalisation does), which saves encoding the text once more.
        """
        if len(text) < 2 or not self._by_bigram:
            return [], []
        cps = codepoints if codepoints is not None else np.frombuffer(
            text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if self._pairs is None:
            return self._sorted_hits(cps)
        # array methods rather than np.* wrappers, and take() rather than fancy indexing
        # (~30% faster on these sizes): the fixed cost per call matters here
        ids = self._ids.take(cps)
        keys = np.multiply(ids[:-1], self._width, dtype=np.int32)
        keys += ids[1:]
        slot = self._pairs.take(keys)
        starts = slot.nonzero()[0]
        return starts.tolist(), slot.take(starts).tolist()

    def _sorted_hits(self, cps: np.ndarray) -> tuple[list[int], list[int]]:
        """:meth:`bigram_hits` for large alphabets: candidate positions by the character
        masks, then their bigram codes looked up in the sorted codes."""
        maybe = (self._first.take(cps[:-1]) & self._second.take(cps[1:])).nonzero()[0]
        if maybe.size == 0:
            return [], []
        codes = (cps.take(maybe).astype(np.uint64) << _SHIFT) | cps.take(maybe + 1)
        slot = np.minimum(self._codes.searchsorted(codes), self._codes.size - 1)
        hit = self._codes.take(slot) == codes
        return maybe[hit].tolist(), (slot[hit] + 1).tolist()
