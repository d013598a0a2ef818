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
    stripped = line.stripped
    if not stripped or len(stripped) > 40 or stripped.endswith("地图"):
        return False
    parts = [p for p in SEPARATORS.split(stripped) if p]
    if not parts:
        return False
    for part in parts:
        rest = part
        for brand in sorted(ctx.brands, key=len, reverse=True):
            rest = rest.replace(brand, "")
        if rest.strip():
            return False
    return True


def detect(ctx: Context) -> Reason | None:
    if not ctx.brands:
        return None
    found = [line for line in ctx.content_lines if brand_only(ctx, line)]
    if not found:
        return None
    score = min(1.0, 0.4 * len(found))
    return Reason(NAME, score, [ctx.line_evidence(line, note="brand alone on a line") for line in found[:8]])
