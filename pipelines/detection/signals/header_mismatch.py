"""header_mismatch: a gambling title sits over a body that has its own, different headline.

Two shapes: the title holds a gambling brand (lexicon, suffix-built or structural) that
the body's headline does not; or the title is a bare ``X娱乐``/``X国际``-style name that
shares nothing with the body's headline (an unseen brand with a weak suffix, only
trusted in this hijack position). Never when the title's own wording (site name, brands
and gambling vocabulary cut out) is found in the body's prose: that title is the article's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.detection.brands import GENERIC_TAIL, WEAK_SUFFIX
from pipelines.detection.headlines import (
    body_headline,
    marker_lines,
    strip_marker,
    title_matches_body,
)
from pipelines.model import Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "header_mismatch"
KIND = "header"
MAX_TITLE = 80  # longer "titles" are body paragraphs taken for a title by extraction


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def weak_brand_title(ctx: Context) -> bool:
    """The title is a bare weak-suffix name absent from the body (高X娱乐新闻 over news)."""
    title = ctx.title.text.strip()
    name = GENERIC_TAIL.sub("", title)
    return bool(WEAK_SUFFIX.match(name)) and name not in ctx.text.text


def detect(ctx: Context) -> Reason | None:
    title = ctx.title.text
    if not title.strip() or len(title) > MAX_TITLE:
        return None
    brands_in_title = [b for b in ctx.brands if b in title] + [m.term for m in ctx.title.hits("spam")]
    weak = not brands_in_title and weak_brand_title(ctx)
    if not brands_in_title and not weak:
        return None
    if title_matches_body(ctx):
        return None  # the title's own wording is the body's topic: a real headline, not a hijack
    headline = body_headline(ctx)
    if headline is None:
        return None
    headline_text = strip_marker(headline.stripped)
    if any(brand in headline_text for brand in brands_in_title):
        return None
    if headline_text and headline_text in title:
        return None  # the title is headline + site name: ordinary
    if weak and _bigrams(title) & _bigrams(headline_text):
        return None
    score = 0.7 if marker_lines(ctx) else 0.5
    if weak:
        score = 0.6
    evidence = [
        ctx.evidence(ctx.title, 0, len(title), "weak-suffix brand title" if weak else "gambling title"),
        ctx.line_evidence(headline, note="the article's own headline"),
    ]
    return Reason(NAME, score, evidence)
