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
# a piece of every label META_LINE accepts: without one in the body, no line is a meta line
LABEL_WORDS = ("关键", "摘要", "标签", "tag", "keyword")
MEMO = "meta_lines/indexes"


def is_meta_line(ctx: Context, line: Line) -> bool:
    if not META_LINE.match(line.norm):
        return False
    return bool(line.hits(*GAMBLING)) or any(brand in line.norm for brand in ctx.brands)


def meta_line_indexes(ctx: Context) -> frozenset[int]:
    """Indexes (into ``ctx.lines``) of the non-blank lines :func:`is_meta_line` accepts.

    Memoised: cleaning asks about every body line again. A meta line needs a gambling hit
    or a page brand of the body, and a label word (every label META_LINE accepts holds
    one): without them no line is one, and only lines holding such a word are tested,
    found with C-level searches of the body.
    """
    found: frozenset[int] | None = ctx.memo.get(MEMO)  # type: ignore[assignment]
    if found is None:
        found = ctx.memo[MEMO] = _meta_line_indexes(ctx)
    return found


def _meta_line_indexes(ctx: Context) -> frozenset[int]:
    if not ctx.brands and not ctx.text.has(*GAMBLING):
        return frozenset()
    text = ctx.text.text
    numbers: set[int] = set()
    for word in LABEL_WORDS:
        at = text.find(word)
        while at >= 0:
            numbers.add(text.count("\n", 0, at))  # the index of its line in ctx.lines
            at = text.find(word, at + 1)
    if not numbers:
        return frozenset()
    lines = ctx.lines
    return frozenset(number for number in numbers
                     if lines[number].stripped and is_meta_line(ctx, lines[number]))


def detect(ctx: Context) -> Reason | None:
    numbers = meta_line_indexes(ctx)
    if not numbers:
        return None
    found = [ctx.lines[number] for number in sorted(numbers)]
    return Reason(NAME, min(1.0, 0.5 * len(found)),
                  [ctx.line_evidence(line, note="keyword line") for line in found[:5]])
