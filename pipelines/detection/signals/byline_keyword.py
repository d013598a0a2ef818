"""byline_keyword: the byline (source/time line) names a gambling brand.

Hijack templates print the brand where the outlet belongs: glued to the timestamp
(``乐乐彩2023-01-31 16:05``) or after a source/author cue (``投稿人:X``). A brand merely
mentioned on a line that also has a date (a report about a casino) does not count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from pipelines.model import Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "byline_keyword"
KIND = "header"
DATE_AFTER = regex.compile(r"^[\s》】)\]]{0,3}(?:\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}:\d{2})")
CUE_BEFORE = regex.compile(r"(?:作者|来源|投稿人?|发布者?|编辑|出处|稿源|供稿)\s*[:：]?\s*[《【]?$")
MAX_LINE = 100
MEMO = "byline_keyword/found"  # memo: text -> brand_in_byline(text)


def brand_in_byline(ctx: Context, text: str) -> tuple[int, int] | None:
    """Span of a brand printed as the byline's outlet in ``text`` (normalised).

    Memoised per page: cleaning asks again about the lines this signal tested.
    """
    if not text.strip() or len(text) > MAX_LINE:
        return None
    cache: dict[str, tuple[int, int] | None] = ctx.memo.setdefault(MEMO, {})  # type: ignore[assignment]
    if text not in cache:
        cache[text] = _brand_in_byline(ctx, text)
    return cache[text]


def _brand_in_byline(ctx: Context, text: str) -> tuple[int, int] | None:
    for brand in ctx.brands_longest_first():
        start = text.find(brand)
        while start >= 0:
            end = start + len(brand)
            if DATE_AFTER.match(text[end:]) or CUE_BEFORE.search(text[max(0, start - 8):start]):
                return start, end
            start = text.find(brand, end)
    return None


def detect(ctx: Context) -> Reason | None:
    if not ctx.brands:
        return None  # nothing to find in any byline
    found = brand_in_byline(ctx, ctx.byline.text)
    if found:
        return Reason(NAME, 0.6, [ctx.evidence(ctx.byline, *found, "brand in byline")])
    for number, (norm, _) in enumerate(ctx.content_texts[:8]):  # the same lines, as text
        found = brand_in_byline(ctx, norm)
        if found:
            line = ctx.content_lines[number]
            return Reason(NAME, 0.6, [ctx.line_evidence(line, *found, "brand in byline")])
    return None
