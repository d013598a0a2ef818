"""Everything signals read about one document, computed once.

Signals are small and many; normalising and matching each field once here (instead of
in every signal) keeps detection fast and makes every signal see the same brands: the
lexicon's, plus the ones discovered on this page by structure (see ``brands.py``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from pipelines.detection.allowlist import Allowlist
from pipelines.detection.lexicon import Lexicon, Match
from pipelines.detection.normalize import Normalized, normalize
from pipelines.model import Document, Evidence

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

    def __post_init__(self) -> None:
        for match in self.matches:
            self._by_category.setdefault(match.category, []).append(match)

    @property
    def text(self) -> str:
        return self.norm.text

    def hits(self, *categories: str) -> list[Match]:
        if len(categories) == 1:
            return self._by_category.get(categories[0], [])
        return [m for m in self.matches if m.category in categories]


@dataclass
class Line:
    """One line of the body: original span in ``text`` plus its normalised form."""

    index: int
    start: int  # original offsets into doc.text
    end: int
    raw: str
    norm: str
    nstart: int  # normalised offset of the line in the normalised text
    matches: list[Match] = field(default_factory=list)  # line-relative normalised offsets
    stripped: str = ""

    def __post_init__(self) -> None:
        self.stripped = self.norm.strip()

    def hits(self, *categories: str) -> list[Match]:
        return [m for m in self.matches if m.category in categories]


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
        self.lines = self._split_lines()
        self.content_lines = [line for line in self.lines if line.stripped]
        self.brands: dict[str, set[str]] = {}  # normalised brand -> how it was found
        self.memo: dict[str, object] = {}  # results shared by signals and cleaning
        from pipelines.detection.brands import discover_brands

        discover_brands(self)

    def _view(self, name: str, value: str) -> FieldView:
        norm = normalize(value or "")
        matches = self.lexicon.find(norm.text)
        if self.allowlist.terms:
            matches = _drop_allowed(norm.text, matches, self.allowlist.terms)
        return FieldView(name, norm, matches)

    def _split_lines(self) -> list[Line]:
        norm_text = self.text.text
        lines: list[Line] = []
        nstart = 0
        starts: list[int] = []
        shifted = bool(self.text.norm._points)  # no deletions: offsets are the same
        for index, piece in enumerate(norm_text.split("\n")):
            if shifted:
                start, end = self.text.norm.span(nstart, nstart + len(piece))
            else:
                start, end = nstart, nstart + len(piece)
            lines.append(Line(index, start, end, self.doc.text[start:end], piece, nstart))
            starts.append(nstart)
            nstart += len(piece) + 1
        for match in self.text.matches:
            line = lines[bisect.bisect_right(starts, match.start) - 1]
            offset = line.nstart
            line.matches.append(Match(match.start - offset, match.end - offset, match.term, match.category))
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
