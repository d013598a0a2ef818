"""Render an element subtree as plain text, one visual paragraph per line.

Later detectors reason about lines (a brand alone on a line, a ``headline******`` line, a
footer ``X地图`` line), so the line structure must follow what a reader sees: block elements
and ``<br>`` break lines, inline elements do not, invisible and non-content elements vanish.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lxml import etree

BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption center dd details div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html li main marquee nav ol p "
    "pre section summary table tbody td tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template iframe object embed svg canvas select option button "
    "input textarea head title meta link map area audio video".split()
)

_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_space(text: str) -> str:
    """Collapse every kind of whitespace (incl. full-width \\u3000) to one space; strip ends."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def element_lines(
    element: etree._Element,
    skip: Callable[[etree._Element], bool] = lambda _el: False,
) -> list[str]:
    """The visible text of ``element`` as non-empty normalised lines, in document order.

    ``skip`` drops whole subtrees (hidden elements, menus, comment widgets). Iterative, so
    pathological nesting cannot overflow the stack.
    """
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        line = normalise_space("".join(buffer))
        if line:
            lines.append(line)
        buffer.clear()

    # Stack items: ("open", element) to visit, or ("close", element) to emit its tail.
    stack: list[tuple[str, etree._Element]] = [("open", element)]
    while stack:
        action, node = stack.pop()
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if action == "close":
            if tag in BLOCK_TAGS:
                flush()
            if node is not element and node.tail:
                buffer.append(node.tail)
            continue
        if not tag or tag in SKIP_TAGS or (node is not element and skip(node)):
            if node is not element and node.tail:
                buffer.append(node.tail)
            continue
        if tag in BLOCK_TAGS:
            flush()
        if node.text:
            buffer.append(node.text)
        stack.append(("close", node))
        stack.extend(("open", child) for child in reversed(node))
    flush()
    return lines


def many_element_lines(
    elements: Iterable[etree._Element], skip: Callable[[etree._Element], bool]
) -> list[str]:
    """Lines of several blocks, concatenated in the given order."""
    out: list[str] = []
    for element in elements:
        out.extend(element_lines(element, skip))
    return out
