"""64-bit simhash fingerprints of article bodies, computed with numpy.

Why not ``simhash.Simhash(text)``: it tokenises and md5-hashes every feature in Python
(milliseconds per article) and its default features (4-char windows of ``\\w`` runs) treat
a Chinese paragraph as one "word". Hijacked copies of the same article differ in ways a
dedupe stage must ignore — traditional vs simplified characters, pinyin glosses such as
``網(wǎng)``, punctuation, full-width forms, an added footer or editor line — so the text is
normalised first, and the features are n-grams of tokens where a token is a CJK character
or a whole Latin word (character n-grams for Chinese, word n-grams for Latin text).

Everything is vectorised: the text becomes a codepoint array; one lookup table normalises
(NFKC, casefold, traditional -> simplified) and classifies each codepoint, and tables
derived from it answer each per-character question with a single gather; glosses and
boilerplate lines are masked with regexes run only at the few positions that can match;
n-gram hashes are 64-bit multiply/mix over the window; the simhash is the sign of
weighted per-bit sums counted SWAR-style. With the default weighting only ~1,200
characters are read, so the cost is the number of array operations per text more than
their length: passes are combined wherever every value stays bit-identical (fingerprints
are persisted and shared). Values are plain ints < 2**64, so ``simhash.Simhash(value)``
accepts them and its ``distance`` equals :func:`hamming`. No Python ``hash()`` is used:
fingerprints are identical across processes and machines.

Measured by ``python -m pipelines.dedupe.bench`` (~4,000-character Chinese articles): ~70x
the speed of ``simhash.Simhash(text)`` with the default head weighting, ~40x when every
character is read (``decay=0``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipelines.tablecache import cached_uint32_table

__all__ = ["Fingerprinter", "hamming", "normalize"]

# Codepoints at or above this are dropped (nothing above is a letter spamsieve uses).
_TABLE_SIZE = 0x32000
_ALL_CODEPOINTS = 0x110000  # the table covers every codepoint: no clipping per text

# Codepoint classes (bits 24-25 of the table) and flags.
_DROP, _CJK, _WORD = 0, 1, 2
_LINE_START_FLAG = np.uint32(1 << 29)
_FURNITURE_FLAG = np.uint32(1 << 28)

_CJK_RANGES = (
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified
    (0xAC00, 0xD7AF),  # hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility
    (0x20000, 0x31FFF),  # CJK extensions B..H
)

# A pinyin gloss: a parenthesised romanisation right after a Han character, e.g. 網(wǎng),
# 发展(fā zhǎn), 中(zhong1). Runs on the raw text, so both bracket widths are accepted.
_PY = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ"
_PINYIN_GLOSS = re.compile(  # matched at a bracket that follows a Han character
    rf"[(（]\s*[{_PY}]+[1-5]?(?:[\s'’-]+[{_PY}]+[1-5]?)*\s*[)）]"
)

# Lines that are page furniture rather than article, in any copy: editor/source credits,
# copyright, "scan the QR code", share/follow prompts, prev/next links. Credits need a
# colon: "记者从市公安局获悉" is article text, "记者:张三" is not. Simplified and
# traditional spellings, since this runs before character simplification.
_CREDIT_WORDS = (
    "责任编辑 責任編輯 编辑 編輯 责编 責編 主编 主編 审核 審核 审校 審校 校对 校對 作者 记者 記者 "
    "通讯员 通訊員 来源 來源 稿源 出处 出處 原标题 原標題 文章来源 文章來源 本文来源 本文來源 "
    "图片来源 圖片來源 图源 圖源 editor Editor source Source author Author"
).split()
_FURNITURE_START = (
    "上一篇 下一篇 相关阅读 相關閱讀 相关新闻 相關新聞 相关推荐 相關推薦 推荐阅读 推薦閱讀 热门推荐 "
    "熱門推薦 分享到 扫码 掃碼 扫一扫 掃一掃 长按 長按"
).split()
_BOILERPLATE_START = re.compile(
    r"\s*[\[【(（]?\s*(?:(?:" + "|".join(_CREDIT_WORDS) + r")\s*[:：|丨]|"
    + "|".join(_FURNITURE_START) + ")"
)
_START_CHARS = frozenset(w[0] for w in _CREDIT_WORDS + _FURNITURE_START)
# Page furniture wherever it appears in a line: each phrase is found from one rare
# trigger character (flagged in the codepoint table) and checked around it.
_FURNITURE_AT: dict[str, tuple[tuple[int, str], ...]] = {
    "码": ((-2, "二维码"),),
    "碼": ((-2, "二維碼"),),
    "版": ((0, "版权所有"), (0, "版權所有")),
    "©": ((0, "©"),),
    "y": ((-3, "copyright"),),
    "Y": ((-3, "copyright"),),
}


def _is_furniture_at(text: str, at: int) -> bool:
    for offset, phrase in _FURNITURE_AT.get(text[at], ()):
        start = at + offset
        if start >= 0 and text[start : start + len(phrase)].lower() == phrase:
            return True
    return False


# 64-bit mixing constants (splitmix64 / murmur3 finalizer family). Fixed, so values are
# stable across processes and versions of numpy.
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_WINDOW_MULTIPLIERS = np.array(
    [
        0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x87C37B91114253D5, 0x4CF5AD432745937F,
        0xA0761D6478BD642F, 0xE7037ED1A0B428DB, 0x8EBC6AF09C88C6E3, 0x589965CC75374CC3,
        0x1D8E4E27C47D124F, 0xD6E8FEB86659FD93, 0xCA5A826395121157, 0x2545F4914F6CDD1D,
    ],
    dtype=np.uint64,
)
_S30, _S27, _S31, _S29 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(29)
_WORD_SALT = np.uint64(0x5A17_0000_0000_0001)


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit fingerprints."""
    return ((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count()


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer: spreads every input bit over all 64 output bits."""
    x = x ^ (x >> _S30)
    x = x * _M1
    x = x ^ (x >> _S27)
    x = x * _M2
    return x ^ (x >> _S31)


def _mix_light_inplace(x: np.ndarray) -> np.ndarray:
    """Three-op finalizer for sums of already random tokens: carries move information
    only upwards, so fold the high bits back down. Overwrites and returns ``x`` (one
    temporary instead of one per operation)."""
    tmp = x >> _S31
    x ^= tmp
    x *= _M2
    np.right_shift(x, _S29, out=tmp)
    x ^= tmp
    return x


@lru_cache(maxsize=1)
def _table() -> np.ndarray:
    """The codepoint table (see :func:`_build_table`) extended with zeros (drop) to every
    codepoint; read from the user cache when a verified copy for this Unicode version,
    opencc dictionary and table code is there (~2 ms instead of ~0.1 s)."""
    table = np.zeros(_ALL_CODEPOINTS, dtype=np.uint32)  # 4.4 MB; zero = drop
    table[:_TABLE_SIZE] = cached_uint32_table(
        "fingerprint-table",
        [_TABLE_CODE_VERSION, repr((_TABLE_SIZE, _CJK_RANGES, sorted(_START_CHARS),
                                    sorted(_FURNITURE_AT))).encode()],
        _build_table,
        size=_TABLE_SIZE,
    )
    return table


# Bump when _build_table changes in a way the cache key does not see.
_TABLE_CODE_VERSION = b"spamsieve-fingerprint-table-1"


def _build_table() -> np.ndarray:
    """Per-codepoint ``normalised | class << 24 | flags``.

    One gather both normalises a codepoint — NFKC (full-width forms, compatibility
    characters), casefold, traditional -> simplified (first candidate of opencc's
    character dictionary) — and classifies it (drop / CJK / word). Characters whose NFKC
    form is several characters keep the first one. Flags mark characters that may begin
    a boilerplate line or belong to a furniture phrase, so the regexes only run where
    they can match. Covers codepoints below ``_TABLE_SIZE``; :func:`_table` extends it
    with zeros (drop) to every codepoint. Takes ~0.1 s.
    """
    to_simple = _opencc_chars()
    table = np.zeros(_TABLE_SIZE, dtype=np.uint32)  # zero = drop
    cjk = np.zeros(_TABLE_SIZE, dtype=bool)
    for lo, hi in _CJK_RANGES:
        cjk[lo : min(hi, _TABLE_SIZE - 2) + 1] = True
    for cp in range(_TABLE_SIZE - 1):
        norm = unicodedata.normalize("NFKC", chr(cp)).casefold()
        if not norm:
            continue
        out = to_simple.get(norm[0], norm[0])
        cat = unicodedata.category(out)[0]
        if cat not in "LN" or ord(out) >= _TABLE_SIZE:
            continue  # punctuation, symbols, spaces: drop
        klass = _CJK if cjk[ord(out)] else _WORD
        table[cp] = ord(out) | (klass << 24)
    for ch in _START_CHARS:
        table[ord(ch)] |= _LINE_START_FLAG
    for ch in _FURNITURE_AT:
        table[ord(ch)] |= _FURNITURE_FLAG
    return table


@lru_cache(maxsize=1)
def _lookups() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-codepoint tables derived from :func:`_table`, so a text needs one gather per
    question instead of a gather plus bit arithmetic on the whole text:

    * ``kept``: bool for every codepoint (to 0x10FFFF, so no clipping per text): the
      class is not drop;
    * ``values``: uint64 token value of the *normalised* codepoint,
      ``_token_table()[normalised(c)]``, for ``c < _TABLE_SIZE``;
    * ``word``: bool, the class is word (a Latin letter or digit), for ``c < _TABLE_SIZE``;
    * ``start``: bool, ``c`` may begin a boilerplate line (``_LINE_START_FLAG``), for
      ``c < _TABLE_SIZE``.

    Only kept codepoints (all below ``_TABLE_SIZE``) are looked up in the last three.
    """
    table = _table()[:_TABLE_SIZE]
    klass = (table >> np.uint32(24)) & np.uint32(3)
    kept = np.zeros(_ALL_CODEPOINTS, dtype=bool)  # above _TABLE_SIZE: drop
    kept[:_TABLE_SIZE] = klass != _DROP
    values = _token_table()[table & np.uint32(0xFFFFFF)]
    return kept, values, klass == _WORD, (table & _LINE_START_FLAG) != 0


@lru_cache(maxsize=1)
def _token_table() -> np.ndarray:
    """A fixed pseudo-random 64-bit value per codepoint: a gather replaces mixing every
    character of every text."""
    return _mix(np.arange(_TABLE_SIZE, dtype=np.uint64) + _GOLDEN)


def _opencc_path() -> Path:
    import opencc

    return Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"


def _opencc_chars() -> dict[str, str]:
    """Traditional -> simplified single characters from opencc's TSCharacters.txt."""
    table: dict[str, str] = {}
    for line in _opencc_path().read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            target = parts[1].split(" ")[0]
            if len(target) == 1:
                table[parts[0]] = target
    return table


def _kept(text: str, min_line_chars: int, need: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(positions, codepoints) of the codepoints of ``text`` features are taken from, in
    text order: positions are indexes into ``text`` plus one, codepoints are the raw ones
    (both intp). Empty as soon as there are fewer than ``need`` letters in the whole text
    (a caller that needs that many reads more text instead).

    Kept: letters and digits (classes CJK and word), without pinyin glosses (``網(wǎng)``),
    lines with fewer than ``min_line_chars`` of them, and boilerplate lines (credits,
    copyright, QR-code and share prompts). Works on whole-text arrays; regexes run only
    at the few positions that can match (brackets after Han characters, line starts
    whose first letter can begin a credit word), which is what makes this a few
    microseconds instead of a Python loop over lines. The codepoint array is that of
    ``"\\n" + text + "\\n"``: with a newline before and after every line, the letters
    per line are one ``searchsorted`` and one subtraction.
    """
    kept_table, _, _, start_table = _lookups()
    raw = np.frombuffer(
        f"\n{text}\n".encode("utf-32-le", "surrogatepass"), dtype=np.uint32
    ).astype(np.intp)  # intp: the gathers below index without a cast
    keep = kept_table.take(raw)  # a fresh array: updated in place
    # pinyin glosses: str.find skips to the few brackets faster than any array pass
    for bracket in "(（":
        p = text.find(bracket, 1)
        while p > 0:
            if "\u3400" <= text[p - 1] <= "\ufaff":  # after a Han character
                m = _PINYIN_GLOSS.match(text, p)
                if m:
                    keep[p + 1 : m.end() + 1] = False
            p = text.find(bracket, p + 1)
    kept = keep.nonzero()[0]
    if kept.size == 0 or kept.size < need:  # nothing, or too little to serve
        return kept[:0], kept[:0]
    cps = raw.take(kept)
    # line i lies between newlines[i] and newlines[i + 1]; with the leading sentinel,
    # newlines[i] is also the index in text where line i starts
    newlines = (raw == 0x0A).nonzero()[0]
    kept_before = kept.searchsorted(newlines)
    first_kept = kept_before[:-1]  # index into kept of each line's first letter, if any
    per_line = kept_before[1:] - first_kept  # letters and digits per line
    line_keep = per_line >= min_line_chars
    # credit/furniture lines: the regex only runs at lines whose first letter can begin
    # one of its phrases (a line without letters has no first letter: its first_kept is
    # the next line's, or clipped)
    may_be_credit = start_table.take(cps.take(first_kept, mode="clip"))
    for line in may_be_credit.nonzero()[0].tolist():
        if per_line[line] and _BOILERPLATE_START.match(text, int(newlines[line])):
            line_keep[line] = False
    for trigger in _FURNITURE_AT:  # rare characters: str.find beats an array pass
        at = text.find(trigger)
        while at >= 0:
            if _is_furniture_at(text, at):
                line_keep[newlines.searchsorted(at, "right") - 1] = False
            at = text.find(trigger, at + 1)
    in_kept_line = line_keep.repeat(per_line)  # one flag per letter
    if np.count_nonzero(in_kept_line) < kept.size:  # some line with letters is dropped
        return kept[in_kept_line], cps[in_kept_line]
    return kept, cps


def normalize(text: str, min_line_chars: int = 8) -> str:
    """The normalised text features are computed from, for inspection and tests:
    glosses, short and boilerplate lines, punctuation and spaces removed; NFKC,
    casefolded, traditional characters simplified."""
    if not text:
        return ""
    cps = _kept(text, min_line_chars)[1]
    return "".join(map(chr, (_table().take(cps) & np.uint32(0xFFFFFF)).tolist()))


class Fingerprinter:
    """Turns an article body into a 64-bit simhash, or ``None`` when it is too short.

    Tokens are CJK characters and whole words of other scripts (Latin words, numbers), in
    text order; features are n-grams of ``n`` consecutive tokens, so Chinese gets
    character n-grams and Latin text word n-grams from one vectorised pass.
    ``min_features`` is the fewest *distinct* features a fingerprint may rest on: below
    it, a handful of shared words would make unrelated short texts collide, so the caller
    must not dedupe them.

    Head weighting (``head``, ``decay``, in tokens): features at the first ``head``
    positions weigh 1, later ones ``exp(-(pos - head) / decay)`` (constant over runs of
    32). Copies of one article differ mostly at the end — excerpts cut at different
    places, footers and related links appended — and a uniform simhash moves ~9 bits when
    20% of the tail is cut; head weighting roughly halves that (measured by ``python -m
    pipelines.dedupe.evaluate``, which also chose n, head and decay). ``decay=0`` gives a
    classic uniform simhash. Features whose weight would be below ``exp(-6)`` are not
    computed at all, so only the head of a long text is read.
    """

    def __init__(
        self,
        min_features: int = 40,
        *,
        n: int = 4,
        head: int = 200,
        decay: float = 100.0,
        min_line_chars: int = 8,
    ) -> None:
        if not 1 <= n <= len(_WINDOW_MULTIPLIERS):
            raise ValueError(f"n must be in 1..{len(_WINDOW_MULTIPLIERS)}")
        if min_features < 1 or head < 0 or decay < 0:
            raise ValueError("min_features must be >= 1, head and decay >= 0")
        self.min_features = min_features
        self.n = n
        self.head = head
        self.decay = decay
        self.min_line_chars = min_line_chars
        segments = np.arange(0, self.max_position + _SEGMENT, _SEGMENT) if decay > 0 else None
        # weight of each run of _SEGMENT features, taken at the run's middle
        self._segment_weights = (
            np.exp(-np.maximum(segments + _SEGMENT / 2 - head, 0.0) / decay)
            if segments is not None else None
        )
        self._setups: dict[int, tuple[np.ndarray, np.ndarray, float]] = {}
        _lookups()  # load (or build) the codepoint tables now, not on the first item

    @property
    def max_position(self) -> int:
        """Features at or beyond this position are not counted (weight < e^-6)."""
        return 1 << 62 if self.decay <= 0 else self.head + int(_TAIL * self.decay)

    def tokens(self, text: str) -> np.ndarray:
        """uint64 token values in text order: one per CJK character or word, at most as
        many as can start a feature that carries weight.

        Only a prefix of a long text is processed when it already holds all those tokens
        (cut at a line break, so line rules see whole lines); Latin text, with fewer
        tokens per character, falls through to the whole text.
        """
        limit = self.max_position + self.n - 1
        size = 3 * limit // 2
        if len(text) > size:
            cut = text.rfind("\n", 0, size)
            prefix = text[: cut if cut > size // 2 else size]
            tokens = _tokens(prefix, self.min_line_chars, need=limit)
            if tokens.size >= limit:
                return tokens[:limit]
        return _tokens(text, self.min_line_chars)[:limit]

    def features(self, text: str) -> np.ndarray:
        """The uint64 feature hashes of ``text``: one per n-gram occurrence, in order."""
        tokens = self.tokens(text)
        if tokens.size < self.n:
            return np.empty(0, dtype=np.uint64)
        return _ngrams(tokens, self.n)

    def fingerprint(self, text: str) -> int | None:
        """The simhash of ``text``; ``None`` when it has fewer than ``min_features``
        distinct features (too short to fingerprint meaningfully)."""
        feats = self.features(text)
        if feats.size < self.min_features:
            return None
        # distinct features: a small sample usually settles it without sorting them all
        if _distinct(feats[: 4 * self.min_features]) < self.min_features:
            if _distinct(feats) < self.min_features:
                return None
        setup = self._setups.get(feats.size)
        if setup is None:
            seg = self._segment_weights
            setup = _simhash_setup(
                feats.size, None if seg is None else seg[: -(-feats.size // _SEGMENT)]
            )
            if len(self._setups) < 4096:
                self._setups[feats.size] = setup
        return _simhash(feats, *setup)


def _tokens(text: str, min_line_chars: int, need: int = 0) -> np.ndarray:
    """uint64 token values of ``text`` in order; none at all as soon as there are
    certainly fewer than ``need`` (each token takes at least one kept codepoint), so a
    prefix too short to serve stops early and the caller reads the whole text."""
    if not text:
        return np.empty(0, dtype=np.uint64)
    kept, cps = _kept(text, min_line_chars, need)
    if kept.size < need:
        return np.empty(0, dtype=np.uint64)
    _, token_values, word_table, _ = _lookups()
    values = token_values.take(cps)  # a token per kept codepoint, then words are merged
    is_word = word_table.take(cps)
    word_at = is_word.nonzero()[0]  # indexes into values
    if word_at.size == 0:
        return values
    at, words = _word_hashes(values, word_at, kept.take(word_at))
    values[at] = words
    is_word[at] = False  # a word's token stands at its first character
    return values[~is_word]


def _distinct(values: np.ndarray) -> int:
    ordered = values.copy()
    ordered.sort()
    return 1 + int(np.count_nonzero(ordered[1:] != ordered[:-1])) if ordered.size else 0


_SEGMENT = 32  # features per weight step (and per uint8 bit counter: <= 255)
_TAIL = 6.0  # features beyond head + _TAIL * decay weigh < exp(-6): not computed


def weighted_simhash(hashes: np.ndarray, segment_weights: np.ndarray | None = None) -> int:
    """Simhash where consecutive runs of 32 features carry ``segment_weights`` (all 1 when
    None): bit i is set when the features with bit i set outweigh those without.

    Bits are counted SWAR-style: unpacking gives one byte (0/1) per bit, viewed as eight
    uint64 lanes per feature; ``add.reduceat`` sums each run of 32 features lane-wise in
    one call without overflowing a byte, and a (runs x 64) matrix product applies the
    run weights. No per-bit or per-feature Python.
    """
    hashes = np.ascontiguousarray(hashes, dtype=np.uint64)
    return _simhash(hashes, *_simhash_setup(hashes.size, segment_weights))


def _simhash_setup(
    size: int, segment_weights: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, float]:
    """(run starts, run weights, total weight) for ``size`` features: depends only on the
    size, so :class:`Fingerprinter` reuses it."""
    bounds = np.arange(0, size, _SEGMENT)
    sizes = np.full(bounds.size, float(_SEGMENT))
    sizes[-1] = size - bounds[-1]
    w = np.ones(bounds.size) if segment_weights is None else segment_weights
    return bounds, w, float(w @ sizes)


def _simhash(hashes: np.ndarray, bounds: np.ndarray, w: np.ndarray, total: float) -> int:
    lanes = np.unpackbits(hashes.view(np.uint8), bitorder="little").view(np.uint64).reshape(-1, 8)
    counts = np.add.reduceat(lanes, bounds, axis=0).view(np.uint8).reshape(-1, 64)
    set_bits = 2.0 * (w @ counts.astype(np.float64)) > total
    return int.from_bytes(np.packbits(set_bits, bitorder="little").tobytes(), "little")


def simhash_of(hashes: np.ndarray) -> int:
    """Classic unweighted simhash of feature hashes (each occurrence counts once)."""
    return weighted_simhash(np.asarray(hashes, dtype=np.uint64))


def _ngrams(tokens: np.ndarray, n: int) -> np.ndarray:
    """Hashes of every window of ``n`` consecutive uint64 tokens (order-sensitive).

    The windows are a strided (n x count) view of the tokens (row j: the tokens at
    offset j), so the multiply-add over every window is one integer vector-matrix
    product (exact modulo 2**64, like the ufuncs) instead of 2n - 1 array operations.
    """
    tokens = np.ascontiguousarray(tokens, dtype=np.uint64)
    count = tokens.size - n + 1
    windows = np.ndarray((n, count), dtype=np.uint64, buffer=tokens, strides=(8, 8))
    return _mix_light_inplace(_WINDOW_MULTIPLIERS[:n] @ windows)


_R = 0x9E3779B97F4A7C15  # odd: invertible modulo 2**64
_POWERS: list[np.ndarray] = [np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64)]


def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """(R**i, R**-i) mod 2**64 for i < size, grown by doubling and cached."""
    pow_, inv = _POWERS
    if pow_.size < size:
        n = max(size, 2 * pow_.size, 4096)
        steps = np.full(n, _R, dtype=np.uint64)
        steps[0] = 1
        inv_steps = np.full(n, pow(_R, -1, 1 << 64), dtype=np.uint64)
        inv_steps[0] = 1
        pow_, inv = np.multiply.accumulate(steps), np.multiply.accumulate(inv_steps)
        _POWERS[:] = [pow_, inv]
    return pow_, inv


def _word_hashes(
    values: np.ndarray, word_at: np.ndarray, positions: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(index into ``values`` where each word starts, uint64 hash per word) for the word
    characters ``values[word_at]`` (token-table values T[c]) at text ``positions``: a
    word (Latin word or number) is a maximal run of word characters adjacent in the text.

    The hash is the polynomial sum(T[c_j] * R**(j - start)) over the word's characters,
    computed as sum(T[c_j] * R**j) * R**-start so no per-character offset in the word is
    needed: one multiply, one ``add.reduceat`` and one multiply per word. ``j`` is the
    index into ``values``, which is consecutive within a word just like the text position
    (and the arithmetic is exact modulo 2**64, so the hash is the same).
    """
    new_word = np.empty(word_at.size, dtype=bool)
    new_word[0] = True
    np.not_equal(positions[1:] - positions[:-1], 1, out=new_word[1:])
    starts = new_word.nonzero()[0]
    at = word_at.take(starts)
    pow_, inv = _powers(values.size)
    sums = np.add.reduceat(values.take(word_at) * pow_.take(word_at), starts)
    sums *= inv.take(at)
    sums += _WORD_SALT
    return at, _mix_light_inplace(sums)
