"""Text normalisation for matching, with a map back to the original characters.

Gambling SEO hides its keywords from naive matching: full-width letters, traditional
characters, separators between every character (``澳 门*威-尼.斯人``) and pinyin glosses
(``網(wǎng)站``). We fold all of that away before matching, but evidence and cleaning must
point into the *original* field text, so every normalised character keeps its original
index. Character folding is 1:1 (``str.translate`` with a lazily filled cache, so the hot
path is C code); only deletions (separators, glosses) shift offsets, and those are kept as
a short sorted list of shift points resolved with ``bisect``.
"""

from __future__ import annotations

import bisect
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import regex

_HAN = r"\p{Han}"
_HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Separators spammers put between single characters: only removed when they alternate
# with single CJK characters at least twice (澳 门*威-尼), so "深化改革 优化社区" stays apart.
# (stdlib ``re`` with explicit ranges: measurably faster than ``regex`` with \p{Han} here.)
_SEPARATED_RUN = re.compile(
    rf"(?:[{_HAN_RANGES}][ \t*\-.·_|/\\~^+#@]{{1,3}}){{2,}}[{_HAN_RANGES}]"
)
_SEPARATOR = re.compile(r"[ \t*\-.·_|/\\~^+#@]{1,3}")
# Extra planes whose characters fold (mathematical alphanumerics, enclosed letters).
_ASTRAL_FOLDING = ((0x1D400, 0x1D800), (0x1F100, 0x1F200))
# Pinyin glosses after a Han character: 網(wǎng) or 网(wang3).
_PINYIN_GLOSS = regex.compile(
    rf"(?<={_HAN})\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*|[a-zü]{{1,6}}[1-5])\)"
)


def _t2s_table() -> dict[str, str]:
    """Single-character traditional->simplified pairs from OpenCC's dictionary."""
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    table: dict[str, str] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and len(parts[0]) == 1:
                target = parts[1].split(" ")[0]
                if len(target) == 1:
                    table[parts[0]] = target
    return table


class _FoldTable(dict):  # type: ignore[type-arg]
    """``str.translate`` table computed per character on first sight, then cached."""

    def __init__(self) -> None:
        super().__init__()
        self._t2s = _t2s_table()

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        if codepoint > 0xFFFF and char not in self._t2s and not any(
            lo <= codepoint < hi for lo, hi in _ASTRAL_FOLDING
        ):
            self[codepoint] = char
            return char
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) != 1:
            folded = char
        lowered = folded.casefold()
        if len(lowered) != 1:
            lowered = folded.lower() if len(folded.lower()) == 1 else folded
        result = self._t2s.get(lowered, lowered)
        self[codepoint] = result
        return result


@lru_cache(maxsize=1)
def fold_table() -> _FoldTable:
    return _FoldTable()


@lru_cache(maxsize=1)
def _codepoint_map() -> np.ndarray:
    """A codepoint -> folded codepoint array over all of Unicode (4.4 MB, built once).

    Folding a 4,000-character text is then one vectorised lookup (~30 us) instead of
    4,000 dict lookups in ``str.translate`` (~300 us); detection runs on every item.
    """
    mapping = np.arange(0x110000, dtype=np.uint32)
    for char, folded in _changing().items():
        mapping[ord(char)] = ord(folded)
    return mapping


@lru_cache(maxsize=1)
def _changing() -> dict[str, str]:
    """Every character folding changes, with its replacement: computed for ~67,000
    codepoints (~30 ms), so cached across processes like the fingerprint table."""
    from pipelines.tablecache import cached_uint32_table

    pairs = cached_uint32_table("fold-changes", [_FOLD_CODE_VERSION], _changing_pairs)
    return {chr(a): chr(b) for a, b in pairs.reshape(-1, 2).tolist()}


# Bump when _FoldTable or _changing_pairs change: invalidates cached fold tables.
_FOLD_CODE_VERSION = repr(("spamsieve-fold-1", _ASTRAL_FOLDING)).encode()


def _changing_pairs() -> np.ndarray:
    """(codepoint, folded codepoint) pairs, flattened, for every character folding
    changes."""
    pairs = [(ord(char), ord(folded)) for char, folded in _changing_built().items()]
    return np.array(pairs, dtype=np.uint32).reshape(-1)


def _changing_built() -> dict[str, str]:
    table = fold_table()
    codepoints = list(range(0x10000)) + [ord(c) for c in table._t2s if ord(c) > 0xFFFF]
    codepoints += [cp for lo, hi in _ASTRAL_FOLDING for cp in range(lo, hi)]
    changes = {}
    for codepoint in codepoints:
        if 0xD800 <= codepoint <= 0xDFFF:
            continue
        folded = table[codepoint]
        if folded != chr(codepoint):
            changes[chr(codepoint)] = folded
    return changes


_MAP: np.ndarray | None = None


def fold(text: str) -> str:
    """1:1 character folding: NFKC (full-width->half-width), case folding, trad->simp."""
    return _fold_codepoints(text)[0]


def _fold_codepoints(text: str) -> tuple[str, np.ndarray | None]:
    """``fold(text)``, plus its uint32 code points when the vectorised path made them:
    the separator scan and the lexicon's prefilter read those instead of encoding the
    folded text again (one encode + array per field each)."""
    global _MAP
    if text.isascii():
        return text.lower(), None
    if len(text) < 64:
        return text.translate(fold_table()), None
    if _MAP is None:
        _MAP = _codepoint_map()
    try:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # lone surrogates
        return text.translate(fold_table()), None
    folded = _MAP.take(codes)  # take(): cheaper than indexing
    return folded.tobytes().decode("utf-32-le"), folded


@dataclass
class Normalized:
    """A normalised string plus what is needed to map its indexes to the original."""

    text: str
    original: str
    # (normalised index from which the shift applies, cumulative deleted chars)
    _points: list[int] = field(default_factory=list)
    _shifts: list[int] = field(default_factory=list)
    # ``text`` as uint32 code points when normalisation computed them, else None (for
    # the lexicon's prefilter: saves encoding a long field once more)
    codepoints: np.ndarray | None = field(default=None, repr=False, compare=False)

    def to_original(self, index: int) -> int:
        """Original index of normalised index ``index`` (``len`` maps to ``len``)."""
        if not self._points:
            return index
        position = bisect.bisect_right(self._points, index) - 1
        return index + (self._shifts[position] if position >= 0 else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span covering normalised ``[start, end)``."""
        if end <= start:
            begin = self.to_original(start)
            return begin, begin
        return self.to_original(start), self.to_original(end - 1) + 1

    def deleted_inside(self, start: int, end: int) -> bool:
        """Whether normalisation removed characters inside normalised ``[start, end)``."""
        begin, finish = self.span(start, end)
        return finish - begin != end - start


_SEPARATOR_CHARS = " \t*-.·_|/\\~^+#@"  # the class of _SEPARATOR


@lru_cache(maxsize=1)
def _han_sep_flags() -> np.ndarray:
    """Per codepoint: 1 = Han (as in _HAN_RANGES), 2 = separator."""
    flags = np.zeros(0x110000, dtype=np.uint8)
    for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):
        flags[lo : hi + 1] = 1
    for char in _SEPARATOR_CHARS:
        flags[ord(char)] = 2
    return flags


def _separated_runs(folded: str, codepoints: np.ndarray | None = None) -> list[re.Match[str]]:
    """``_SEPARATED_RUN.finditer(folded)``, trying the regex only where a run can start (a
    Han character followed by a separator): the plain scan attempted a match at every Han
    character, ~60 us per 4,000-character article for a pattern that almost never occurs.
    ``codepoints``: ``folded`` as uint32 code points, when already known."""
    if len(folded) < 256:
        return list(_SEPARATED_RUN.finditer(folded))
    if codepoints is None:
        codepoints = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), np.uint32)
    flags = _han_sep_flags().take(codepoints)
    runs: list[re.Match[str]] = []
    end = 0
    for start in np.flatnonzero((flags[:-1] == 1) & (flags[1:] == 2)).tolist():
        if start < end:
            continue
        run = _SEPARATED_RUN.match(folded, start)
        if run:
            runs.append(run)
            end = run.end()
    return runs


def _deletions(folded: str, codepoints: np.ndarray | None = None) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if "(" in folded:
        spans.extend(m.span() for m in _PINYIN_GLOSS.finditer(folded))
    for run in _separated_runs(folded, codepoints):
        base = run.start()
        spans.extend((base + m.start(), base + m.end()) for m in _SEPARATOR.finditer(run.group()))
    spans.sort()
    return spans


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for matching; see the module docstring for what is folded."""
    if not text:
        return Normalized("", text)  # empty fields (most bylines, headlines, keywords)
    folded, codepoints = _fold_codepoints(text)
    spans = _deletions(folded, codepoints)
    if not spans:
        return Normalized(folded, text, codepoints=codepoints)
    pieces: list[str] = []
    points: list[int] = []
    shifts: list[int] = []
    cursor = 0
    removed = 0
    for start, end in spans:
        if start < cursor:
            start = cursor
        if end <= start:
            continue
        pieces.append(folded[cursor:start])
        removed += end - start
        points.append(start - (removed - (end - start)))
        shifts.append(removed)
        cursor = end
    pieces.append(folded[cursor:])
    return Normalized("".join(pieces), text, points, shifts)
