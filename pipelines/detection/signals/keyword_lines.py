"""keyword_lines: body lines that are nothing but a gambling brand (or a list of them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from pipelines.model import Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context, Line

NAME = "keyword_lines"
KIND = "structure"
SEPARATORS = regex.compile(r"[\s_\-|,，、/·:：《》【】\[\]()（）]+")
BRAND_ONLY = "keyword_lines/brand_only"  # memo: brand_only_numbers()
BRAND_FIRSTS = "keyword_lines/brand_firsts"  # memo: the first characters of the page brands
# what SEPARATORS splits on besides whitespace (its \s matches no character that is not
# str.isspace(): White_Space characters all are)
SEPARATOR_CHARS = frozenset("_-|,，、/·:：《》【】[]()（）")


def brand_only(ctx: Context, line: Line) -> bool:
    """Whether the line holds only brand tokens and separators (not a footer ``X地图``)."""
    return brand_only_text(ctx, line.stripped)


def brand_only_text(ctx: Context, stripped: str) -> bool:
    """:func:`brand_only` of a line's stripped normalised text."""
    if not stripped or len(stripped) > 40 or stripped.endswith("地图"):
        return False
    if _first_char_kept(ctx, stripped):
        return False
    return _brand_only_parts(ctx, stripped)


def brand_only_numbers(ctx: Context) -> frozenset[int]:
    """Positions in ``ctx.content_texts`` (= ``ctx.content_lines``) of the lines
    :func:`brand_only` accepts, memoised: this signal and cleaning both need them."""
    # (no brand: no part can be made of brands)
    return ctx.memoised(BRAND_ONLY, lambda: _brand_only_numbers(ctx) if ctx.brands else frozenset())


def _brand_only_numbers(ctx: Context) -> frozenset[int]:
    # brand_only_text()'s first tests inline, so most lines cost no call: a stripped line
    # is never empty here and never starts with whitespace, so _first_char_kept() is
    # false exactly when its first character starts a brand or is a separator
    starters = _brand_firsts(ctx) | SEPARATOR_CHARS
    return frozenset(number for number, (_, text) in enumerate(ctx.content_texts)
                     if len(text) <= 40 and text[0] in starters and brand_only_text(ctx, text))


def _brand_only_parts(ctx: Context, stripped: str) -> bool:
    """Whether every separator-delimited part of the line is made of page brands."""
    parts = [p for p in SEPARATORS.split(stripped) if p]
    if not parts:
        return False
    brands = ctx.brands_longest_first()
    for part in parts:
        rest = part
        for brand in brands:
            rest = rest.replace(brand, "")
        if rest.strip():
            return False
    return True


def _first_char_kept(ctx: Context, stripped: str) -> bool:
    """Whether the line's first character survives whatever the brand removal does.

    It begins the first part unless it is a separator; the first character of a string
    only goes when a brand occurrence starts there, so a character no brand starts with
    stays, and the line is no brand-only line. Most short lines (a headline, a label, a
    promo sentence) stop here, before the split and the per-brand replacements.
    """
    first = stripped[0]
    return first not in _brand_firsts(ctx) and first not in SEPARATOR_CHARS and not first.isspace()


def _brand_firsts(ctx: Context) -> frozenset[str]:
    """The first characters of the page brands (memoised)."""
    return ctx.memoised(BRAND_FIRSTS, lambda: frozenset(brand[0] for brand in ctx.brands if brand))


def detect(ctx: Context) -> Reason | None:
    if not ctx.brands:
        return None
    numbers = brand_only_numbers(ctx)
    if not numbers:
        return None
    found = [ctx.content_lines[number] for number in sorted(numbers)]
    score = min(1.0, 0.4 * len(found))
    return Reason(NAME, score, [ctx.line_evidence(line, note="brand alone on a line") for line in found[:8]])
