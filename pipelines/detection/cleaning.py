"""Removing injected gambling material from a page that is kept.

Cleaning only ever *deletes* (lines, spans, markers) or replaces the title with a line
that is already in the body (the real headline), so it can never add gambling text, and
running it twice changes nothing the second time. Every change is a ``CleanAction``
whose offsets point into the field value *before* cleaning.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex

from pipelines.detection.context import Context, Line
from pipelines.detection.headlines import MARKER, body_headline, marker_lines, strip_marker
from pipelines.detection.normalize import normalize
from pipelines.detection.signals.byline_keyword import brand_in_byline
from pipelines.detection.signals.footer_lines import gambling_footers
from pipelines.detection.signals.hidden_links import gambling_links
from pipelines.detection.signals.injected_lines import injected
from pipelines.detection.signals.keyword_lines import brand_only_numbers, brand_only_text
from pipelines.detection.signals.link_cloud import cloud_lines
from pipelines.detection.signals.meta_lines import meta_line_indexes
from pipelines.detection.signals.mid_sentence_injection import injected_spans
from pipelines.model import CleanAction, Document

TRIM = " \t_-|,，、:：—–·/"
# compiled once: the module-level regex.sub() looks the pattern up in a cache per call
SPACE_RUN = regex.compile(r"\s{2,}")
BLANK_RUN = regex.compile(r"\n{3,}")


@dataclass
class CleaningPlan:
    """What to delete from ``doc.text`` (original offsets) and the recovered title."""

    removals: list[tuple[int, int]]
    actions: list[CleanAction]
    title: str | None  # None: keep the title
    byline: str | None
    hidden_links: list[dict[str, str]] | None = None  # None: keep doc.hidden_links
    removed_lines: frozenset[int] = frozenset()  # indexes of the body lines removed whole


def _line_span(ctx: Context, line: Line) -> tuple[int, int]:
    end = line.end + 1 if line.end < len(ctx.doc.text) else line.end
    return line.start, end


def plan_cleaning(ctx: Context, hijacked_title: bool) -> CleaningPlan:
    actions: list[CleanAction] = []
    removals: list[tuple[int, int]] = []
    removed_lines: set[int] = set()
    inside = _SpanIndex(len(ctx.doc.text))  # "already removed?" without rescanning removals

    def remove_line(line: Line, reason: str) -> None:
        if line.index in removed_lines:
            return
        removed_lines.add(line.index)
        start, end = _line_span(ctx, line)
        removals.append((start, end))
        inside.add(start, end)
        actions.append(CleanAction("remove_line", "text", line.start, line.end, line.raw, reason))

    for line, reason in _keyword_and_meta_lines(ctx):
        remove_line(line, reason)
    for line in gambling_footers(ctx):
        remove_line(line, "footer_lines")
    for line in cloud_lines(ctx):
        remove_line(line, "link_cloud")
    promo_lines, bracket_spans = injected(ctx)
    for line in promo_lines:
        remove_line(line, "injected_lines")

    def remove_span(nstart: int, nend: int, reason: str) -> None:
        start, end = ctx.text.norm.span(nstart, nend)
        if inside.contains(start, end):
            return
        removals.append((start, end))
        inside.add(start, end)
        actions.append(CleanAction("remove_span", "text", start, end, ctx.doc.text[start:end], reason))

    for nstart, nend, _note in injected_spans(ctx):
        remove_span(nstart, nend, "mid_sentence_injection")
    for line, start, end in bracket_spans:
        if line.index not in removed_lines:
            remove_span(line.nstart + start, line.nstart + end, "injected_lines")
    def remove_from_line(line: Line, start: int, end: int, reason: str) -> None:
        """Remove ``line.norm[start:end]``, or the whole line when what would be left of
        it is only page brands (金沙娱乐城****** minus its marker is a brand-only line,
        which the next cleaning would remove: cleaning a cleaned page removes nothing)."""
        rest = (line.norm[:start] + line.norm[end:]).strip()
        if rest and brand_only_text(ctx, rest):
            remove_line(line, reason)
        else:
            remove_span(line.nstart + start, line.nstart + end, reason)

    for line in ctx.content_lines[:8]:
        found = brand_in_byline(ctx, line.norm) if line.index not in removed_lines else None
        if found:
            remove_from_line(line, _brand_run_start(ctx, line.norm, found[0]), found[1],
                             "byline_keyword")
    for line in marker_lines(ctx):
        found = MARKER.search(line.norm)
        if found and line.index not in removed_lines:
            remove_from_line(line, found.start(), found.end(), "headline_markers")

    title = byline = None
    if hijacked_title:
        headline = body_headline(ctx)
        original = ctx.doc.title
        if headline is not None:
            title = strip_marker(headline.raw.strip())
            actions.append(CleanAction("recover_headline", "title", 0, len(original), original,
                                       "header_mismatch", replacement=title))
        else:
            title = _without_brands(ctx, original)
            actions.append(CleanAction("replace_title", "title", 0, len(original), original,
                                       "title_stuffing", replacement=title))
    if ctx.byline.text and any(brand in ctx.byline.text for brand in ctx.brands):
        byline = _without_brands(ctx, ctx.doc.byline)
        actions.append(CleanAction("remove_span", "byline", 0, len(ctx.doc.byline), ctx.doc.byline,
                                   "byline_keyword", replacement=byline))
    hidden = None
    gambling = set(gambling_links(ctx))
    if gambling:
        hidden = [dict(link) for index, link in enumerate(ctx.doc.hidden_links) if index not in gambling]
        for index in sorted(gambling):
            link = ctx.doc.hidden_links[index]
            actions.append(CleanAction("remove_hidden_link", "hidden_links", None, None,
                                       str(link.get("text") or ""), "hidden_links",
                                       replacement=None))
    return CleaningPlan(_merge(removals), actions, title, byline, hidden, frozenset(removed_lines))


_BYLINE_GLUE = frozenset(" \t\u3000》】)]")  # what byline_keyword's DATE_AFTER lets stand before the date
_OPENING = frozenset("《【([")
MAX_CUT_ROUNDS = 4  # _without_brands: each round shortens the value; real titles need one


def _brand_run_start(ctx: Context, text: str, start: int) -> int:
    """Where the run of page brands that ends at ``start`` begins: a byline glues several
    brands to its timestamp (澳门新葡京乐乐彩2023-01-31, 【乐乐彩】乐乐彩 2023-01-31), and
    removing only the last one would leave the one before it glued to the date, removed
    by a second cleaning: they all go at once, with the brackets and spaces between them
    that ``byline_keyword`` also allows between a brand and its date."""
    brands = ctx.brands_longest_first()
    while True:
        before = start
        while before and text[before - 1] in _BYLINE_GLUE:
            before -= 1
        brand = next((b for b in brands if len(b) <= before and text.startswith(b, before - len(b))), None)
        if brand is None:
            return start
        start = before - len(brand)
        if start and text[start - 1] in _OPENING:
            start -= 1


def _keyword_and_meta_lines(ctx: Context) -> list[tuple[Line, str]]:
    """The lines brand_only() or is_meta_line() accepts, in line order, each with the
    signal that removes it (keyword_lines first), as keyword_lines and meta_lines found
    them: only those lines are visited, not every line of the body."""
    brand_lines, meta_lines = brand_only_numbers(ctx), meta_line_indexes(ctx)
    if not brand_lines and not meta_lines:
        return []
    content = ctx.content_lines
    chosen = {content[number].index: (content[number], "keyword_lines") for number in brand_lines}
    for index in meta_lines:  # indexes into ctx.lines of non-blank lines: content lines
        if index not in chosen:
            chosen[index] = (ctx.lines[index], "meta_lines")
    return [chosen[index] for index in sorted(chosen)]  # line index order = content order


class _SpanIndex:
    """Whether ``[start, end)`` lies inside one span added so far, in O(log n).

    A prefix-maximum Fenwick tree over span starts: some span with ``s <= start`` has
    ``e >= end`` exactly when the largest such ``e`` does. Scanning the list of removals
    for every new span instead made pages with thousands of injected brand tokens take
    minutes (quadratic).
    """

    def __init__(self, size: int) -> None:
        self.size = size + 1
        self.tree = [-1] * (self.size + 1)

    def add(self, start: int, end: int) -> None:
        tree, size = self.tree, self.size  # locals: these loops run for every removal
        i = min(max(start, 0), size - 1) + 1
        while i <= size:
            if tree[i] < end:
                tree[i] = end
            i += i & -i

    def contains(self, start: int, end: int) -> bool:
        if start < 0:
            return False
        tree = self.tree
        i = min(start, self.size - 1) + 1
        best = -1
        while i > 0:
            if tree[i] > best:
                best = tree[i]
            i -= i & -i
        return best >= end


def _without_brands(ctx: Context, value: str) -> str:
    """``value`` with brand tokens cut out (mapping normalised hits back to the original).

    Cutting can join what is left into a new brand or tip keyword (澳门新葡京开奖结果 minus
    新葡京 is 澳门开奖结果, itself a lottery-tip keyword), which the next analysis would take
    for a page brand and cut again: the cut is repeated until nothing changes, so cleaning
    a cleaned page changes nothing."""
    for _ in range(MAX_CUT_ROUNDS):
        cut = _cut_brands(ctx, value)
        if cut == value:
            break
        value = cut
    return value


def _cut_brands(ctx: Context, value: str) -> str:
    norm = normalize(value)
    names = set(ctx.brands)
    names.update(m.term for m in ctx.lexicon.find(norm.text) if m.category in ("brand", "spam"))
    spans = []
    for brand in names:
        at = norm.text.find(brand)
        while at >= 0:
            spans.append(norm.span(at, at + len(brand)))
            at = norm.text.find(brand, at + len(brand))
    result = apply_removals(value, _merge(spans))
    return SPACE_RUN.sub(" ", result).strip(TRIM)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def apply_removals(text: str, removals: list[tuple[int, int]], lo: int = 0, hi: int | None = None) -> str:
    """``text[lo:hi]`` with the (merged, sorted) removal spans cut out."""
    hi = len(text) if hi is None else hi
    pieces = []
    cursor = lo
    for start, end in removals:
        if end <= lo or start >= hi:
            continue
        pieces.append(text[cursor:max(cursor, start)])
        cursor = max(cursor, min(end, hi))
    pieces.append(text[cursor:hi])
    return "".join(pieces)


def cleaned_document(ctx: Context, plan: CleaningPlan) -> Document:
    doc = ctx.doc
    text = apply_removals(doc.text, plan.removals)
    text = BLANK_RUN.sub("\n\n", text).strip("\n") if plan.removals else text
    return replace(
        doc,
        title=doc.title if plan.title is None else plan.title,
        byline=doc.byline if plan.byline is None else plan.byline,
        text=text,
        hidden_links=list(doc.hidden_links) if plan.hidden_links is None else list(plan.hidden_links),
    )


def salvage_articles(ctx: Context, plan: CleaningPlan) -> list[Document]:
    """One document per copied article: its headline as title, its own lines as text."""
    marked = marker_lines(ctx)
    if not marked:
        return [cleaned_document(ctx, plan)]
    articles = []
    bounds = [line.start for line in marked] + [len(ctx.doc.text)]
    for line, stop in zip(marked, bounds[1:], strict=False):
        body_start = min(len(ctx.doc.text), line.end + 1)
        body = apply_removals(ctx.doc.text, plan.removals, body_start, stop)
        body = BLANK_RUN.sub("\n\n", body).strip()
        if body:
            articles.append(replace(ctx.doc, title=strip_marker(line.raw.strip()), headline="",
                                    byline="", text=body, hidden_links=[]))
    return articles
