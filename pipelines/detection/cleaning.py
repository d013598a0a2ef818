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
from pipelines.detection.signals.byline_keyword import brand_in_byline
from pipelines.detection.signals.footer_lines import is_gambling_footer
from pipelines.detection.signals.hidden_links import gambling_links
from pipelines.detection.signals.injected_lines import injected
from pipelines.detection.signals.keyword_lines import brand_only_numbers
from pipelines.detection.signals.link_cloud import cloud_lines
from pipelines.detection.signals.meta_lines import meta_line_indexes
from pipelines.detection.signals.mid_sentence_injection import injected_spans
from pipelines.model import CleanAction, Document

TRIM = " \t_-|,，、:：—–·/"


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

    # brand_only() and is_meta_line() of every line, as keyword_lines and meta_lines found them
    brand_lines, meta_lines = brand_only_numbers(ctx), meta_line_indexes(ctx)
    if brand_lines or meta_lines:
        for number, line in enumerate(ctx.content_lines):
            if number in brand_lines:
                remove_line(line, "keyword_lines")
            elif line.index in meta_lines:
                remove_line(line, "meta_lines")
    for line in ctx.content_lines[-10:]:
        if is_gambling_footer(ctx, line):
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
    for line in ctx.content_lines[:8]:
        found = brand_in_byline(ctx, line.norm) if line.index not in removed_lines else None
        if found:
            remove_span(line.nstart + found[0], line.nstart + found[1], "byline_keyword")
    for line in marker_lines(ctx):
        found = MARKER.search(line.norm)
        if found and line.index not in removed_lines:
            remove_span(line.nstart + found.start(), line.nstart + found.end(), "headline_markers")

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
    """``value`` with brand tokens cut out (mapping normalised hits back to the original)."""
    from pipelines.detection.normalize import normalize

    norm = normalize(value)
    spans = []
    for brand in ctx.brands:
        at = norm.text.find(brand)
        while at >= 0:
            spans.append(norm.span(at, at + len(brand)))
            at = norm.text.find(brand, at + len(brand))
    result = apply_removals(value, _merge(spans))
    return regex.sub(r"\s{2,}", " ", result).strip(TRIM)


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
    text = regex.sub(r"\n{3,}", "\n\n", text).strip("\n") if plan.removals else text
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
        body = regex.sub(r"\n{3,}", "\n\n", body).strip()
        if body:
            articles.append(replace(ctx.doc, title=strip_marker(line.raw.strip()), headline="",
                                    byline="", text=body, hidden_links=[]))
    return articles
