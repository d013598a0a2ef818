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
# how a line META_LINE accepts starts once stripped: its leading ``\s`` (White_Space, which
# str.strip() removes too) is followed by 本文 or a label
LINE_STARTS = ("本文", "关键", "文章", "摘要", "标签", "tag", "keyword")
MEMO = "meta_lines/indexes"


def is_meta_line(ctx: Context, line: Line) -> bool:
    if not META_LINE.match(line.norm):
        return False
    return bool(line.hits(*GAMBLING)) or any(brand in line.norm for brand in ctx.brands)


def meta_line_indexes(ctx: Context) -> frozenset[int]:
    """Indexes (into ``ctx.lines``) of the non-blank lines :func:`is_meta_line` accepts.

    Memoised: cleaning asks about every body line again. A meta line needs a gambling hit
    or a page brand of the body, and starts with a label (see LINE_STARTS): without them
    no line is one, and only lines starting so are tested.
    """
    return ctx.memoised(MEMO, lambda: _meta_line_indexes(ctx))


def _meta_line_indexes(ctx: Context) -> frozenset[int]:
    if not ctx.brands and not ctx.text.has(*GAMBLING):
        return frozenset()
    # a prefix test of each stripped line: searching the body for every label word cost
    # more (a substring search of a CJK text is a slow scan)
    numbers = [number for number, (_, text) in enumerate(ctx.content_texts) if text.startswith(LINE_STARTS)]
    if not numbers:
        return frozenset()
    lines = ctx.content_lines
    return frozenset(lines[number].index for number in numbers if is_meta_line(ctx, lines[number]))


def detect(ctx: Context) -> Reason | None:
    numbers = meta_line_indexes(ctx)
    if not numbers:
        return None
    found = [ctx.lines[number] for number in sorted(numbers)]
    return Reason(NAME, min(1.0, 0.5 * len(found)),
                  [ctx.line_evidence(line, note="keyword line") for line in found[:5]])
