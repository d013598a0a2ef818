"""meta_lines: 本文关键词/关键词/文章摘要/标签 lines carrying gambling terms."""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from pipelines.detection.context import GAMBLING
from pipelines.model import Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context, Line

NAME = "meta_lines"
KIND = "structure"
META_LINE = regex.compile(r"^\s*(?:本文)?(?:关键词|关键字|文章摘要|摘要|标签|tags?|keywords?)\s*[:：]")


def is_meta_line(ctx: Context, line: Line) -> bool:
    if not META_LINE.match(line.norm):
        return False
    return bool(line.hits(*GAMBLING)) or any(brand in line.norm for brand in ctx.brands)


def detect(ctx: Context) -> Reason | None:
    found = [line for line in ctx.content_lines if is_meta_line(ctx, line)]
    if not found:
        return None
    return Reason(NAME, min(1.0, 0.5 * len(found)),
                  [ctx.line_evidence(line, note="keyword line") for line in found[:5]])
