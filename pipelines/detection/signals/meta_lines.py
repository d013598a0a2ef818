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


def is_meta_line(ctx: Context, line: Line) -> bool:
    if not META_LINE.match(line.norm):
        return False
    return bool(line.hits(*GAMBLING)) or any(brand in line.norm for brand in ctx.brands)


def detect(ctx: Context) -> Reason | None:
    if not ctx.brands and not ctx.text.has(*GAMBLING):
        return None  # a meta line needs a brand or gambling term of the body
    # only lines holding a label word can match META_LINE: find those words in the body
    # (C-level searches) and test just their lines
    text = ctx.text.text
    numbers: set[int] = set()
    for word in LABEL_WORDS:
        at = text.find(word)
        while at >= 0:
            numbers.add(text.count("\n", 0, at))  # the index of its line in ctx.lines
            at = text.find(word, at + 1)
    if not numbers:
        return None  # no line can start with a keyword label
    lines = ctx.lines
    found = [lines[number] for number in sorted(numbers)
             if lines[number].stripped and is_meta_line(ctx, lines[number])]
    if not found:
        return None
    return Reason(NAME, min(1.0, 0.5 * len(found)),
                  [ctx.line_evidence(line, note="keyword line") for line in found[:5]])
