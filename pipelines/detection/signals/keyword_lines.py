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


def brand_only(ctx: Context, line: Line) -> bool:
    """Whether the line holds only brand tokens and separators (not a footer ``X地图``)."""
    return brand_only_text(ctx, line.stripped)


def brand_only_text(ctx: Context, stripped: str) -> bool:
    """:func:`brand_only` of a line's stripped normalised text."""
    if not stripped or len(stripped) > 40 or stripped.endswith("地图"):
        return False
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


def detect(ctx: Context) -> Reason | None:
    if not ctx.brands:
        return None
    numbers = [number for number, (_, text) in enumerate(ctx.content_texts) if brand_only_text(ctx, text)]
    if not numbers:
        return None
    found = [ctx.content_lines[number] for number in numbers]
    score = min(1.0, 0.4 * len(found))
    return Reason(NAME, score, [ctx.line_evidence(line, note="brand alone on a line") for line in found[:8]])
