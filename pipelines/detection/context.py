"""Everything signals read about one document, computed once.

Signals are small and many; normalising and matching each field once here (instead of
in every signal) keeps detection fast and makes every signal see the same brands: the
lexicon's, plus the ones discovered on this page by structure (see ``brands.py``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from pipelines.detection.allowlist import Allowlist
from pipelines.detection.brands import discover_brands
from pipelines.detection.lexicon import Lexicon, Match
from pipelines.detection.normalize import Normalized, normalize
from pipelines.model import Document, Evidence

T = TypeVar("T")
GAMBLING = frozenset({"brand", "spam", "game", "suffix"})
HEAD_LINES = 8
TAIL_LINES = 10


@dataclass
class FieldView:
    """One normalised field and its lexicon hits (normalised coordinates)."""

    name: str
    norm: Normalized
    matches: list[Match]
    _by_category: dict[str, list[Match]] = field(default_factory=dict)
    # per-view results of pure functions of the view (``brands.suffix_tokens``), shared by
    # brand discovery and the signals that ask again
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_category = self._by_category
        for match in self.matches:
            category = match[3]  # .category, without the property call (dozens per page)
            found = by_category.get(category)
            if found is None:
                by_category[category] = [match]
            else:
                found.append(match)

    @property
    def text(self) -> str:
        return self.norm.text

    def hits(self, *categories: str) -> list[Match]:
        by_category = self._by_category
        if len(categories) == 1:
            return by_category.get(categories[0], [])
        # only the categories the field has: none or one of them (the usual case) needs
        # no pass over every hit; a fresh list either way, as callers may keep it
        present = [category for category in categories if category in by_category]
        if not present:
            return []
        if len(present) == 1:
            return by_category[present[0]][:]
        return [m for m in self.matches if m[3] in categories]

    def has(self, *categories: str) -> bool:
        """Whether any hit is of one of ``categories`` (the signals' cheap precheck)."""
        return not self._by_category.keys().isdisjoint(categories)

    def by_category(self) -> dict[str, list[Match]]:
        """The hits grouped by category, each group in ``matches`` order (read only)."""
        return self._by_category


class Line:
    """One line of the body: original span in ``text`` plus its normalised form.

    A plain class with slots rather than a dataclass, and its line-relative hits made only
    when a signal asks for them: a page has dozens of lines and building them was a
    visible share of detection.
    """

    __slots__ = ("index", "start", "end", "raw", "norm", "nstart", "stripped", "match_count",
                 "_matches", "_field")

    def __init__(self, index: int, start: int, end: int, raw: str, norm: str, nstart: int,
                 matches: list[Match] | None = None) -> None:
        self.index = index
        self.start = start  # original offsets into doc.text
        self.end = end
        self.raw = raw
        self.norm = norm
        self.nstart = nstart  # normalised offset of the line in the normalised text
        self.stripped = norm.strip()
        self._matches = [] if matches is None else matches
        self._field: tuple[list[Match], int, int] | None = None  # (field hits, first, stop)
        # ``len(self.matches)`` without building the line-relative hits: a plain attribute
        # (set again with ``_field``) rather than a property, as signals read it per line
        self.match_count = len(self._matches)

    @property
    def matches(self) -> list[Match]:
        """The lexicon hits on this line, in line-relative normalised offsets."""
        if self._field is not None:
            self._matches = _shifted(self._field, self.nstart)
            self._field = None
        return self._matches

    @property
    def field_matches(self) -> list[Match]:
        """The same hits in the body's (absolute) offsets, without building line-relative
        ones: enough for whoever only reads their terms and categories."""
        if self._field is not None:
            hits, first, stop = self._field
            return hits[first:stop]
        offset = self.nstart
        return [Match(m.start + offset, m.end + offset, m.term, m.category) for m in self._matches]

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.start}, {self.end}, {self.raw!r})"

    def hits(self, *categories: str) -> list[Match]:
        """The line's hits of ``categories`` (line-relative): when the line-relative hits
        are not built yet, only the wanted ones are (equal tuples, the same order)."""
        if self._field is not None:
            return _shifted(self._field, self.nstart, categories)
        return [m for m in self._matches if m[3] in categories]


def _shifted(field: tuple[list[Match], int, int], offset: int,
             categories: tuple[str, ...] | None = None) -> list[Match]:
    """The hits ``field`` (field hits, first, stop) selects, moved by ``-offset``; only
    those of ``categories`` when given. ``tuple.__new__``: Match's own constructor is
    a Python-level call, and lines of promotion pages carry many hits."""
    hits, first, stop = field
    new = tuple.__new__
    if categories is None:
        return [new(Match, (m[0] - offset, m[1] - offset, m[2], m[3])) for m in hits[first:stop]]
    return [new(Match, (m[0] - offset, m[1] - offset, m[2], m[3]))
            for m in hits[first:stop] if m[3] in categories]


class Context:
    """The document, its normalised fields, body lines, lexicon hits and page brands."""

    def __init__(self, doc: Document, lexicon: Lexicon, allowlist: Allowlist | None = None):
        self.doc = doc
        self.lexicon = lexicon
        self.allowlist = allowlist or Allowlist()
        self.title = self._view("title", doc.title)
        self.headline = self._view("headline", doc.headline)
        self.byline = self._view("byline", doc.byline)
        self.meta_keywords = self._view("meta_keywords", doc.meta_keywords)
        self.text = self._view("text", doc.text)
        # the non-blank normalised body lines as plain strings (norm, stripped): brand
        # discovery and the signals' cheap prechecks read these; the ``Line`` objects (with
        # original offsets and per-line hits) are only built when a signal needs them
        self.content_texts: list[tuple[str, str]] = [
            (piece, stripped) for piece in self.text.text.split("\n") if (stripped := piece.strip())
        ]
        self.brands: dict[str, set[str]] = {}  # normalised brand -> how it was found
        self.memo: dict[str, object] = {}  # results shared by signals and cleaning
        discover_brands(self)

    def _view(self, name: str, value: str) -> FieldView:
        if not value:  # empty field (most bylines, headlines, keywords): nothing to match
            return FieldView(name, Normalized("", ""), [])
        norm = normalize(value)
        matches = self.lexicon.find(norm.text, norm.codepoints)
        if self.allowlist.terms:
            matches = _drop_allowed(norm.text, matches, self.allowlist.terms)
        return FieldView(name, norm, matches)

    @cached_property
    def lines(self) -> list[Line]:
        """Every body line (blank ones too) with offsets and its lexicon hits."""
        return self._split_lines()

    @cached_property
    def content_lines(self) -> list[Line]:
        """The non-blank body lines."""
        return [line for line in self.lines if line.stripped]

    def _split_lines(self) -> list[Line]:
        norm = self.text.norm
        original = self.doc.text
        pieces = norm.text.split("\n")
        if norm._points:  # deletions: each line's original span is looked up
            return self._split_shifted_lines(pieces)
        # no deletions: normalised offsets are the original ones, and folding is 1:1 and
        # never makes or changes a "\n", so the original's lines are these, in order
        raws = original.split("\n")
        lines: list[Line] = []
        append = lines.append
        # Lexicon.find returns matches sorted by start: each line gets its slice of them.
        # ``upcoming`` (the next unassigned hit's start) spares the lines before it, most
        # of them, a binary search each
        matches = self.text.matches
        match_starts = [match[0] for match in matches]
        count = len(match_starts)
        first = 0
        upcoming = match_starts[0] if count else len(norm.text) + 1
        bisect_left = bisect.bisect_left
        nstart = 0
        for index, piece in enumerate(pieces):
            following = nstart + len(piece) + 1  # where the next line starts
            line = Line(index, nstart, following - 1, raws[index], piece, nstart)
            if upcoming < following:
                stop = bisect_left(match_starts, following, first)
                line._field = (matches, first, stop)
                line.match_count = stop - first
                first = stop
                upcoming = match_starts[stop] if stop < count else following + len(norm.text)
            append(line)
            nstart = following
        return lines

    def _split_shifted_lines(self, pieces: list[str]) -> list[Line]:
        """:meth:`_split_lines` when normalisation deleted characters (original spans
        differ from normalised ones)."""
        norm = self.text.norm
        original = self.doc.text
        lines: list[Line] = []
        nstart = 0
        matches = self.text.matches
        match_starts = [match.start for match in matches]
        first = 0
        bisect_left = bisect.bisect_left
        for index, piece in enumerate(pieces):
            size = len(piece)
            start, end = norm.span(nstart, nstart + size)
            line = Line(index, start, end, original[start:end], piece, nstart)
            following = nstart + size + 1  # where the next line starts
            stop = bisect_left(match_starts, following, first)
            if stop > first:
                line._field = (matches, first, stop)
                line.match_count = stop - first
                first = stop
            lines.append(line)
            nstart = following
        return lines

    # ----------------------------------------------------------------- helpers
    def region(self, line: Line) -> str:
        """head (first lines), tail (last lines) or body: pollution concentrates at ends."""
        position = self.content_lines.index(line) if line in self.content_lines else 0
        if position < HEAD_LINES:
            return "head"
        if position >= len(self.content_lines) - TAIL_LINES:
            return "tail"
        return "body"

    def field_view(self, name: str) -> FieldView:
        return getattr(self, name)

    def evidence(self, view: FieldView, start: int, end: int, note: str = "", value: float | str | None = None) -> Evidence:
        """Evidence for normalised span [start, end) of ``view``, in original offsets."""
        begin, finish = view.norm.span(start, end)
        return Evidence(view.name, begin, finish, view.norm.original[begin:finish], value, note)

    def line_evidence(self, line: Line, start: int | None = None, end: int | None = None, note: str = "") -> Evidence:
        start = 0 if start is None else start
        end = len(line.norm) if end is None else end
        return self.evidence(self.text, line.nstart + start, line.nstart + end, note)

    def memoised(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, run once per page under ``key``: what several signals and
        cleaning ask about the same page (its promo lines, footers, host...) is worked
        out by whichever asks first and shared through ``memo``."""
        memo = self.memo
        if key in memo:
            return memo[key]  # type: ignore[return-value]
        found = memo[key] = compute()
        return found

    def brands_longest_first(self) -> list[str]:
        """The page brands, longest first (cached: several signals test every line)."""
        found = self.memo.get("brands_longest_first")
        if found is None:
            found = self.memo["brands_longest_first"] = sorted(self.brands, key=len, reverse=True)
        return found  # type: ignore[return-value]

    def is_brand_text(self, text: str) -> bool:
        return text in self.brands

    def gambling_hits(self, view: FieldView) -> list[Match]:
        return view.hits(*GAMBLING)


def _drop_allowed(text: str, matches: list[Match], terms: set[str]) -> list[Match]:
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = text.find(term)
        while start >= 0:
            spans.append((start, start + len(term)))
            start = text.find(term, start + 1)
    if not spans:
        return matches
    return [m for m in matches if not any(m.start < e and s < m.end for s, e in spans)]
