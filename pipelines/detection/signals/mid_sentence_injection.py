"""mid_sentence_injection: a brand inserted inside a real sentence or as a 【brand】 prefix.

Three shapes: a quoted app/site name glued into a sentence (``《XX彩票网安卓下载最新app》``),
a ``【brand】`` prefix where the outlet's dateline belongs, and a brand token (lexicon or
suffix-built) inside a sentence of a page that is not otherwise about gambling.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

import regex

from pipelines.detection.brands import suffix_tokens
from pipelines.model import Evidence, Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "mid_sentence_injection"
KIND = "content"
QUOTED = regex.compile(r"《([^《》\n]{2,30})》")
APP_WORDS = regex.compile(r"app|官网|官方|下载|网址|手机版|最新版|安卓|平台|入口|大厅|计划|vip|注册")
BRACKET_PREFIX = regex.compile(r"^\s*【([^【】\n]{2,30})】")
CORPORATE = regex.compile(r"^(?:娱乐)?(?:集团|公司|有限|股份|控股|酒店|度假村)")
CORPORATE_FIRST = frozenset("娱集公有股控酒度")  # the first character of every CORPORATE match
MIN_SENTENCE = 30
TOPIC_LIMIT = 2  # gambling words beyond the brands themselves: above it the page is *about* gambling


def _gambling_topic(ctx: Context) -> int:
    # the per-category lists' sizes: a hit has one category, so this is
    # len(ctx.text.hits("game", "gamble")) without filtering every hit of the page
    return len(ctx.text.hits("game")) + len(ctx.text.hits("gamble"))


def injected_spans(ctx: Context) -> list[tuple[int, int, str]]:
    """Normalised text spans ``(start, end, note)`` of injected brand tokens."""
    return ctx.memoised(NAME, lambda: _injected_spans(ctx))


def _injected_spans(ctx: Context) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    text = ctx.text.text
    tokens = suffix_tokens(ctx.text)
    tokens.extend((m.start, m.end, m.term) for m in ctx.text.hits("spam"))
    off_topic = _gambling_topic(ctx) <= TOPIC_LIMIT
    if off_topic:
        for hit in ctx.text.hits("brand"):
            following = text[hit.end:hit.end + 4]
            if following[:1] not in CORPORATE_FIRST or not CORPORATE.match(following):
                tokens.append((hit.start, hit.end, hit.term))
    # Tokens are looked up per line by binary search and checked against a per-line
    # coverage map: scanning every token for every line, and every earlier span for every
    # token, made a page of repeated brand names take minutes (quadratic). Same result:
    # tokens are still visited in their original order, and spans of other lines can
    # never contain a token of this line.
    quotes = "《" in text
    brackets = bool(ctx.brands) and "【" in text
    if not tokens and not quotes and not brackets:
        return []  # nothing any line could hold: skip building the lines
    order = sorted(range(len(tokens)), key=lambda i: tokens[i][0])
    starts = [tokens[i][0] for i in order]
    for line in ctx.content_lines:
        lo, hi = line.nstart, line.nstart + len(line.norm)
        line_spans: list[tuple[int, int, str]] = []
        if quotes and "《" in line.norm:
            for found in QUOTED.finditer(line.norm):
                if APP_WORDS.search(found.group(1)):
                    line_spans.append((lo + found.start(), lo + found.end(), "quoted app/site name"))
        found = BRACKET_PREFIX.match(line.norm) if brackets and "【" in line.norm else None
        if found and any(b in found.group(1) for b in ctx.brands):
            line_spans.append((lo + found.start(1) - 1, lo + found.end(), "【brand】 prefix"))
        spans.extend(line_spans)
        if len(line.stripped) < MIN_SENTENCE:
            continue
        first, last = bisect.bisect_left(starts, lo), bisect.bisect_right(starts, hi)
        if first == last:
            continue  # no token starts on this line: nothing to add
        covered = bytearray(hi - lo + 1)
        for s, e, _ in line_spans:
            _cover(covered, s - lo, e - lo)
        for i in sorted(order[first:last]):
            start, end, _token = tokens[i]
            if end <= hi and not covered[start - lo]:
                spans.append((start, end, "brand inside a sentence"))
                _cover(covered, start - lo, end - lo)
    return _outermost(spans)


def _cover(covered: bytearray, start: int, end: int) -> None:
    """Mark line positions [start, end) as inside a span."""
    start, end = max(start, 0), min(end, len(covered))
    if end > start:
        covered[start:end] = b"\x01" * (end - start)


def _outermost(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept


def detect(ctx: Context) -> Reason | None:
    spans = injected_spans(ctx)
    if not spans:
        return None
    evidence: list[Evidence] = [ctx.evidence(ctx.text, s, e, note) for s, e, note in spans[:8]]
    return Reason(NAME, round(min(1.2, 0.5 * len(spans)), 3), evidence)
