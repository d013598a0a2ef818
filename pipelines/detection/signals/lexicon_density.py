"""lexicon_density: how much of the text is gambling vocabulary, and how promotional.

Promotion pages are saturated with game names, betting jargon, money words (deposit,
bonus) and calls to action, and they address the reader; news about gambling uses plain
words (赌博, 赌场) that weigh little, and its police/court vocabulary discounts this
``content`` signal (see ``legit.py``). Calls to action only count next to a gambling
term, since 下载/平台/免费 are everywhere in ordinary news.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections import defaultdict
from typing import TYPE_CHECKING

from pipelines.model import Evidence, Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context, Line
    from pipelines.detection.lexicon import Match

NAME = "lexicon_density"
KIND = "content"
WEIGHTS = {"spam": 2.0, "brand": 1.0, "suffix": 1.0, "game": 1.0, "gamble": 0.25, "money": 0.5}
CTA_WEIGHT = 0.5
CTA_WINDOW = 8
THRESHOLD = 6.0  # weighted hits per 1000 chars where promotion starts
SPAN = 12.0
READER_ADDRESS = re.compile(r"您|你|玩家|立即|马上|点击|赶快|anda|bạn|ngay|여러분")  # stdlib: same, faster
PROMO_BONUS = 0.3
SPAM_REPEATS = 3
SPAM_BONUS = 0.7
REGION_SHARE = 0.2  # head/tail: the first/last fifth of the body's lines
MIN_REGION_CHARS = 100  # a short region's density is measured over at least this many chars
MIN_REGION_TITLE = 50
_START = operator.itemgetter(0)  # Match.start
_CATEGORY = operator.itemgetter(3)  # Match.category
_STRIPPED = operator.attrgetter("stripped")
_WEIGHT_OF: defaultdict[str, float] = defaultdict(float, WEIGHTS)  # any category -> its weight, else 0.0
KNOWN_BRAND = frozenset({"lexicon", "spam", "promo"})  # how a brand the lexicon knows is found


def weighted_density(ctx: Context) -> tuple[float, float]:
    """(weighted gambling hits per 1000 chars, weighted hits) over title + text."""
    total = 0.0
    for view in (ctx.title, ctx.text):
        # counts per category: every weight is a multiple of 1/4, so the sum is exact in
        # any order and equals the sum over the matches one by one; only the categories
        # the field has are visited (no hits() call per weighted category)
        by_category = view.by_category()
        for category, hits in by_category.items():
            weight = WEIGHTS.get(category)
            if weight is not None:
                total += weight * len(hits)
        ctas = by_category.get("cta")
        if not ctas:
            continue
        positions = [m[0] for m in view.matches if m[3] in WEIGHTS]  # starts, sorted
        for cta in ctas:
            at = bisect.bisect_left(positions, cta[0] - CTA_WINDOW)
            if at < len(positions) and positions[at] <= cta[0] + CTA_WINDOW:
                total += CTA_WEIGHT
    for brand, how in ctx.brands.items():
        if how.isdisjoint(KNOWN_BRAND):
            total += ctx.text.text.count(brand)  # page-discovered brands the lexicon lacks
    length = max(300, len(ctx.title.text) + len(ctx.text.text))
    return 1000.0 * total / length, total


def region_densities(ctx: Context) -> dict[str, float]:
    """Weighted gambling hits per 1000 chars in the title, head (first ~20% of the body's
    lines), body (the middle) and tail (last ~20%). Hijack and promotion templates load
    the title and the ends; reporting about gambling spreads through the body."""
    if "region_densities" in ctx.memo:
        return ctx.memo["region_densities"]  # type: ignore[return-value]
    lines = ctx.content_lines
    edge = max(1, round(len(lines) * REGION_SHARE)) if len(lines) >= 3 else 0
    regions = {"head": lines[:edge], "body": lines[edge:len(lines) - edge], "tail": lines[len(lines) - edge:]}
    if not edge:
        regions = {"head": [], "body": lines, "tail": []}
    title = _weight(ctx.title.matches)
    result = {"title": round(1000.0 * title / max(MIN_REGION_TITLE, len(ctx.title.text)), 1)}
    for name, members in regions.items():
        weight = _weight(_hits_on(ctx, members))
        size = sum(map(len, map(_STRIPPED, members)))
        result[name] = round(1000.0 * weight / max(MIN_REGION_CHARS, size), 1)
    ctx.memo["region_densities"] = result
    return result


def _weight(hits: list[Match]) -> float:
    """``sum(WEIGHTS[m.category] for m in hits if m.category in WEIGHTS)`` without a
    generator step per hit: unweighted categories add 0.0, and every weight is a multiple
    of 1/4, so the sum is exact and the same (an int 0 and 0.0 give the same density)."""
    return sum(map(_WEIGHT_OF.__getitem__, map(_CATEGORY, hits)))


def _hits_on(ctx: Context, members: list[Line]) -> list[Match]:
    """The body's hits on a run of consecutive content lines, in order: the slice of the
    (start-sorted) hits between the run's first and last line. Blank lines between them
    hold no hit (no term is blank) and no term spans a newline, so these are the lines'
    ``field_matches`` one after the other, without a property call per line."""
    if not members:
        return []
    matches = ctx.text.matches
    first = bisect.bisect_left(matches, members[0].nstart, key=_START)
    last = members[-1]
    stop = bisect.bisect_left(matches, last.nstart + len(last.norm) + 1, first, key=_START)
    return matches[first:stop]


def _terms(ctx: Context, categories: tuple[str, ...]) -> set[str]:
    """The distinct terms of the body's hits of ``categories``, from the per-category
    lists (``hits`` of several categories filters every hit of the page)."""
    return {m[2] for category in categories for m in ctx.text.hits(category)}


def detect(ctx: Context) -> Reason | None:
    density, total = weighted_density(ctx)
    spam = len(ctx.text.hits("spam"))
    if density < THRESHOLD and spam < SPAM_REPEATS:
        return None
    score = min(1.5, 0.3 + (density - THRESHOLD) / SPAN) if density >= THRESHOLD else 0.0
    notes = []
    if spam >= SPAM_REPEATS:
        score += SPAM_BONUS
        notes.append(f"{spam} lottery-tip/SEO keywords in the text")
    money = len(ctx.text.hits("money"))
    address = len(READER_ADDRESS.findall(ctx.text.text))
    distinct = len(_terms(ctx, ("game", "money", "suffix")))
    if money >= 3 or address >= 3 or distinct >= 6:
        score += PROMO_BONUS
        notes.append(f"promotional: {money} money words, {address} reader addresses, {distinct} distinct terms")
    terms = sorted(_terms(ctx, ("game", "brand", "spam", "suffix", "money")))[:12]
    notes.append(f"{total:.1f} weighted hits: " + ", ".join(terms))
    regions = region_densities(ctx)
    return Reason(NAME, round(score, 3), [
        Evidence("text", value=round(density, 2), note="; ".join(notes)),
        Evidence("text", value=", ".join(f"{name} {value:g}" for name, value in regions.items()),
                 note="density by region (title, first/middle/last lines)"),
    ])
