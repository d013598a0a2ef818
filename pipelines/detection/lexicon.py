"""The gambling lexicon: categorised terms matched with Aho-Corasick over normalised text.

Terms live in data files (``lexicon/<category-file>.txt``) so users extend the lexicon
without code; ``SPAMSIEVE_LEXICON_FILES`` adds files whose lines are ``category<TAB>term``
or a bare term (a brand). One automaton matches every category in a single pass, which
is what keeps detection cheap on every crawled item.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import ahocorasick
import numpy as np

from pipelines.detection.normalize import fold
from pipelines.detection.prefilter import BigramPrefilter

LEXICON_DIR = Path(__file__).with_name("lexicon")

# Bundled file -> category. Categories are the vocabulary signals reason about.
FILE_CATEGORIES = {
    "casino_brands": "brand",
    "lottery_brands": "brand",
    "spam_keywords": "spam",
    "game_types": "game",
    "gambling_words": "gamble",
    "calls_to_action": "cta",
    "promo_money": "money",
    "brand_suffixes": "suffix",
    "legit_context": "legit",
}
CATEGORIES = frozenset(FILE_CATEGORIES.values())
CATEGORY_ALIASES = {
    "lottery_brands": "brand", "casino_brands": "brand", "brands": "brand",
    "game_types": "game", "calls_to_action": "cta", "brand_suffixes": "suffix",
    "legit_context": "legit", "spam_keywords": "spam", "gambling_words": "gamble", "promo_money": "money",
}


# Below this length numpy's fixed per-call cost (~20 us) exceeds the automaton's scan.
PREFILTER_MIN_CHARS = 150
# Short texts' hits are remembered (title parts, brand names, bylines recur across pages
# and signals ask about the same names again); the memo is emptied when it holds this many.
SHORT_MEMO_SIZE = 4096


class LexiconError(ValueError):
    """A lexicon file cannot be read or has an unknown category."""


class Match(NamedTuple):
    """A lexicon hit in *normalised* coordinates (a tuple: thousands are made per page)."""

    start: int
    end: int
    term: str
    category: str


def _is_word_char(char: str) -> bool:
    """Latin letters only: ``app2024`` and ``bet365`` still match ``app`` / ``bet``-less."""
    return char.isascii() and char.isalpha()


class Lexicon:
    """Categorised terms and their automaton. Build with :meth:`load`."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self.terms: dict[str, set[str]] = {}
        automaton = ahocorasick.Automaton()
        for category, term in entries:
            key = fold(term.strip())
            if not key:
                continue
            self.terms.setdefault(key, set()).add(category)
        self._payloads: dict[str, tuple[str, tuple[str, ...], bool, bool]] = {}
        for key, categories in self.terms.items():
            latin_start, latin_end = _is_word_char(key[0]), _is_word_char(key[-1])
            self._payloads[key] = (key, tuple(sorted(categories)), latin_start, latin_end)
            automaton.add_word(key, self._payloads[key])
        if self.terms:
            automaton.make_automaton()
        self._automaton = automaton if self.terms else None
        # same occurrences as the automaton, ~4x faster on CJK text (see prefilter.py)
        self._prefilter = (BigramPrefilter(self.terms)
                           if self.terms and min(map(len, self.terms)) >= 2 else None)
        # per prefilter slot, what _find_ordered needs of its terms (see _slot_plan)
        self._slot_plans = [
            _slot_plan([(term, len(term), self._payloads[term][1],
                         self._payloads[term][2] or self._payloads[term][3]) for term in terms])
            for terms in self._prefilter._slots
        ] if self._prefilter is not None else []
        self._categories = sorted({category for categories in self.terms.values() for category in categories})
        self._short_hits: dict[str, tuple[Match, ...]] = {}  # see SHORT_MEMO_SIZE

    @classmethod
    def load(cls, extra_files: Iterable[str] = ()) -> Lexicon:
        """The bundled lexicon plus ``extra_files``; raises LexiconError naming the file."""
        entries: list[tuple[str, str]] = []
        for path in sorted(LEXICON_DIR.glob("*.txt")):
            category = FILE_CATEGORIES.get(path.stem, "brand")
            entries.extend((category, term) for term in _read_terms(path))
        for name in extra_files:
            entries.extend(_read_user_file(Path(name)))
        return cls(entries)

    def categories_of(self, term: str) -> set[str]:
        return self.terms.get(fold(term), set())

    def find(self, text: str, codepoints: np.ndarray | None = None) -> list[Match]:
        """Every hit in ``text`` (normalised), latin terms only on word boundaries.

        ``codepoints``: ``text`` as uint32 code points when known (``Normalized`` has them
        for long fields), which the prefilter then need not compute.
        """
        if self._automaton is None or not text:
            return []
        if len(text) >= PREFILTER_MIN_CHARS:  # long texts are seldom seen twice: no memo
            if self._prefilter is not None:
                return self._find_ordered(text, codepoints)
            return self._find_automaton(text)
        # a pure function of ``text``: the memo hands out a fresh list of the same tuples
        known = self._short_hits.get(text)
        if known is None:
            if len(self._short_hits) >= SHORT_MEMO_SIZE:
                self._short_hits.clear()
            known = self._short_hits[text] = tuple(self._find_automaton(text))
        return list(known)

    def _find_automaton(self, text: str) -> list[Match]:
        """``find`` by walking the automaton (short texts, or single-character terms)."""
        matches: list[Match] = []
        size = len(text)
        for end_index, (term, categories, latin_start, latin_end) in self._automaton.iter(text):  # type: ignore[union-attr]
            start = end_index - len(term) + 1
            end = end_index + 1
            if latin_start and start > 0 and _is_word_char(text[start - 1]):
                continue
            if latin_end and end < size and _is_word_char(text[end]):
                continue
            for category in categories:
                matches.append(Match(start, end, term, category))
        return _longest_per_category(matches)

    def _find_ordered(self, text: str, codepoints: np.ndarray | None = None) -> list[Match]:
        """``find`` over the prefilter's occurrences, which come ordered by (start, longest
        first): the per-category containment filter then needs no sort of its own.

        The occurrence check (``startswith``) is folded into this one loop over the
        prefilter's bigram hits, and matches are built with ``tuple.__new__``: this loop
        runs for every hit of every crawled article, so its constant factors count (the
        same reason the word-boundary test is skipped whole for terms with no latin end,
        and ``last_end`` starts with every category rather than using ``get``).
        """
        plans = self._slot_plans
        size = len(text)
        kept: list[Match] = []
        keep = kept.append
        startswith = text.startswith
        last_end = dict.fromkeys(self._categories, -1)
        new = tuple.__new__
        starts, keys = self._prefilter.bigram_hits(text, codepoints)  # type: ignore[union-attr]
        for start, k in zip(starts, keys, strict=True):
            term, length, category, by_third, rest = plans[k]
            if term is not None:  # the slot's one term: no latin end, one category
                if length == 2 or startswith(term, start):
                    end = start + length
                    if end > last_end[category]:  # else inside a longer hit of this category
                        keep(new(Match, (start, end, term, category)))
                        last_end[category] = end
                continue
            for term, length, categories, latin in by_third.get(text[start + 2:start + 3], rest):
                if length != 2 and not startswith(term, start):
                    continue
                end = start + length
                if latin and not self._on_word_boundaries(text, term, start, end, size):
                    continue
                for category in categories:
                    if end > last_end[category]:  # else inside a longer hit of this category
                        keep(new(Match, (start, end, term, category)))
                        last_end[category] = end
        kept.sort()
        return kept

    def _on_word_boundaries(self, text: str, term: str, start: int, end: int, size: int) -> bool:
        """Whether a latin-ended term at ``[start, end)`` is not part of a longer word."""
        _, _, latin_start, latin_end = self._payloads[term]
        if latin_start and start > 0 and _is_word_char(text[start - 1]):
            return False
        return not (latin_end and end < size and _is_word_char(text[end]))


_Payload = tuple[str, int, tuple[str, ...], bool]  # term, length, categories, latin-ended


def _slot_plan(payloads: list[_Payload]) -> tuple[str | None, int, str, dict[str, tuple[_Payload, ...]],
                                                  tuple[_Payload, ...]]:
    """How ``_find_ordered`` checks the terms behind one bigram (``payloads``, longest
    first): ``(term, length, category, {}, ())`` when the slot has a single term with no
    latin end and one category (most hits: no inner loops), else ``(None, 0, "",
    by_third, rest)``. ``rest`` is the slot's two-character terms; ``by_third`` maps a
    third character to the longer terms that have it, followed by ``rest``. A longer term
    can only occur where the text's third character is its own, so looking up the
    text's yields the same occurrences, in the same (longest first) order, as trying
    every term of the slot (a slot like 彩票 has nine)."""
    if len(payloads) == 1 and not payloads[0][3] and len(payloads[0][2]) == 1:
        term, length, categories, _ = payloads[0]
        return term, length, categories[0], {}, ()
    rest = tuple(payload for payload in payloads if payload[1] == 2)
    thirds = dict.fromkeys(payload[0][2] for payload in payloads if payload[1] > 2)
    by_third = {third: tuple(p for p in payloads if p[1] > 2 and p[0][2] == third) + rest for third in thirds}
    return None, 0, "", by_third, rest


def _longest_per_category(matches: list[Match]) -> list[Match]:
    """Drop hits contained in a longer hit of the same category (葡京 inside 新葡京)."""
    matches.sort(key=lambda m: (m[3], m[0], m[0] - m[1]))
    kept: list[Match] = []
    last_end: dict[str, int] = {}
    for match in matches:
        previous = last_end.get(match[3], -1)
        if match[1] <= previous:
            continue
        kept.append(match)
        last_end[match[3]] = max(match[1], previous)
    kept.sort()
    return kept


def _read_terms(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"cannot read lexicon file {path}: {exc}") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _read_user_file(path: Path) -> list[tuple[str, str]]:
    entries = []
    for number, line in enumerate(_read_terms(path), start=1):
        if "\t" in line:
            category, term = (part.strip() for part in line.split("\t", 1))
            category = CATEGORY_ALIASES.get(category, category)
            if category not in CATEGORIES:
                raise LexiconError(
                    f"{path}: term {number}: unknown category {category!r} "
                    f"(known: {', '.join(sorted(CATEGORIES))})"
                )
        else:
            category, term = "brand", line
        entries.append((category, term))
    return entries
