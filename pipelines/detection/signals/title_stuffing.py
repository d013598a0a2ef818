"""title_stuffing: the title is made of gambling keywords rather than a headline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from pipelines.detection.signals.injected_lines import generic
from pipelines.model import Evidence, Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "title_stuffing"
KIND = "header"
LONG_TITLE = 60
EMPTY_BODY = 100
PARTS = regex.compile(r"[^_|｜\-—–,，:：/]+")
KEYWORD_LIST = regex.compile(r"[,，|_]")  # compiled once: regex.split() looks it up per call
NATURAL_REST = 10  # letters of its own a title part needs around a brand to read as a headline


def _covered(text: str, spans: list[tuple[int, int]]) -> int:
    """How many non-space characters of ``text`` the spans cover (each counted once).

    The covered positions are marked by slice assignment (the spans are hit and find
    offsets, never negative) and, in a title without any space character (most), counted
    by ``bytearray.count``: no Python-level step per character.
    """
    size = len(text)
    covered = bytearray(size)
    for start, end in spans:
        end = min(end, size)
        if end > start:
            covered[start:end] = b"\x01" * (end - start)
    if text.split() == [text]:
        return covered.count(1)  # no space character at all: every covered one counts
    return sum(1 for index, flag in enumerate(covered) if flag and not text[index].isspace())


def _in_natural_headline(ctx: Context, text: str, brand_spans: list[tuple[int, int, str]]) -> bool:
    """One brand mention embedded in a long sentence-like title part (not ``X_X``,
    ``headline_X``, ``X官网-X注册`` or a brand list)."""
    if len(brand_spans) != 1:
        return False
    start, end, brand = brand_spans[0]
    for part in PARTS.finditer(text):
        if part.start() <= start and end <= part.end():
            rest = text[part.start():start] + text[end:part.end()]
            own = sum(1 for char in rest if char.isalnum())
            return own >= NATURAL_REST and own >= 2 * len(brand)
    return False


def detect(ctx: Context) -> Reason | None:
    view = ctx.title
    text = view.text
    if not text.strip():
        return None
    evidence: list[Evidence] = []
    spans: list[tuple[int, int]] = []
    score = 0.0
    for hit in view.hits("spam"):
        evidence.append(ctx.evidence(view, hit.start, hit.end, "lottery-tip keyword"))
        spans.append((hit.start, hit.end))
        score = 1.0
    brand_spans: list[tuple[int, int, str]] = []
    for brand in ctx.brands:
        start = text.find(brand)
        while start >= 0:
            spans.append((start, start + len(brand)))
            brand_spans.append((start, start + len(brand), brand))
            evidence.append(ctx.evidence(view, start, start + len(brand), "brand in title"))
            start = text.find(brand, start + len(brand))
    if not score and brand_spans and _in_natural_headline(ctx, text, brand_spans):
        if all(generic(ctx, brand) for _s, _e, brand in brand_spans):
            return None  # 彩票APP in "警惕！这些“彩票APP”其实是网络赌博陷阱": a topic word
        natural = True
    else:
        natural = False
    games = view.hits("game")
    if not spans and len({m.term for m in games}) >= 2:
        spans.extend((m.start, m.end) for m in games)
        evidence.extend(ctx.evidence(view, m.start, m.end, "gambling term in title") for m in games[:4])
    if not spans:
        parts = sorted(len(p) for p in KEYWORD_LIST.split(text) if p.strip())
        if len(parts) >= 5 and parts[len(parts) // 2] <= 14 and "。" not in text:
            return Reason(NAME, 0.4, [Evidence("title", 0, len(view.norm.original),
                                                view.norm.original, note="keyword list")])
        return None
    spans.extend((m.start, m.end) for m in view.hits("cta", "game", "suffix", "money"))
    letters = sum(1 for char in text if char.isalnum())
    coverage = _covered(text, spans) / max(1, letters)
    brand_score = 0.3 + 0.7 * min(1.0, coverage)
    if natural:
        brand_score *= 0.5  # one mention inside a sentence-like headline, not a stuffed title
    if len(text) > LONG_TITLE and len(ctx.text.hits("game", "gamble")) > 2:
        brand_score *= 0.5  # a paragraph mistaken for a title merely mentions the brand
    score = max(score, brand_score)
    if len(ctx.text.text.strip()) < EMPTY_BODY and (view.hits("game") or view.hits("spam")):
        score += 0.3  # the keyword title is the whole page
        evidence.append(Evidence("text", value=len(ctx.text.text.strip()), note="no body under the title"))
    return Reason(NAME, round(score, 3), evidence[:6])
