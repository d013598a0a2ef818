"""Decide which elements a reader never sees, and why.

SEO injectors hide link clouds to casino sites in elements a browser does not render, so the
"how" of hiding is evidence in itself. We only look at what is knowable from the page alone:
inline styles, the ``hidden`` attribute, ``<marquee>`` (scrolling link banners), and simple
class/id rules in the page's own ``<style>`` blocks. External stylesheets are out of reach.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

_ZERO = r"0+(?:\.0+)?(?:px|pt|em|rem|%|vw|vh)?\s*(?:!important)?\s*(?:;|$)"
_STYLE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("display:none", re.compile(r"(?<![-\w])display\s*:\s*none", re.I)),
    ("visibility:hidden", re.compile(r"(?<![-\w])visibility\s*:\s*hidden", re.I)),
    ("font-size:0", re.compile(r"(?<![-\w])font-size\s*:\s*" + _ZERO, re.I)),
    ("width:0", re.compile(r"(?<![-\w])width\s*:\s*" + _ZERO, re.I)),
    ("height:0", re.compile(r"(?<![-\w])height\s*:\s*" + _ZERO, re.I)),
    ("offscreen", re.compile(r"(?<![-\w])(?:left|top|text-indent)\s*:\s*-\d{3,}", re.I)),
)

_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^[\w-]*([.#])([\w-]+)$")


def style_hiding(style: str | None) -> str | None:
    """The hiding method an inline style uses, or None when it leaves the element visible."""
    if not style:
        return None
    for how, pattern in _STYLE_RULES:
        if pattern.search(style):
            return how
    return None


class HiddenSelectors:
    """Class names and ids that the page's own ``<style>`` blocks hide.

    Only simple selectors (``.cls``, ``div.cls``, ``#id``) count: they are what injectors use,
    and anything more complex would need a CSS engine to evaluate correctly.
    """

    def __init__(self, css_blocks: Iterable[str]) -> None:
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        for css in css_blocks:
            for selectors, declarations in _CSS_RULE.findall(css):
                if style_hiding(declarations) is None:
                    continue
                for selector in selectors.split(","):
                    match = _SIMPLE_SELECTOR.match(selector.strip())
                    if not match:
                        continue
                    target = self.classes if match.group(1) == "." else self.ids
                    target.add(match.group(2))

    @classmethod
    def from_document(cls, root: etree._Element) -> HiddenSelectors:
        return cls((style.text or "") for style in root.iter("style"))

    def hides(self, element: etree._Element) -> bool:
        if self.ids and element.get("id") in self.ids:
            return True
        if self.classes:
            return any(name in self.classes for name in (element.get("class") or "").split())
        return False


def element_hiding(element: etree._Element, selectors: HiddenSelectors) -> str | None:
    """Why this element itself (not its ancestors) is invisible, or None."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "marquee":
        return "marquee"
    if element.get("hidden") is not None:
        return "hidden-attribute"
    how = style_hiding(element.get("style"))
    if how:
        return how
    if selectors.hides(element):
        return "css-class"
    return None


def hidden_elements(root: etree._Element) -> dict[etree._Element, str]:
    """Every element hidden itself or through an ancestor, mapped to the outermost reason.

    Iterative on purpose: a hostile page nesting 5000 divs must not hit Python's recursion limit.
    """
    selectors = HiddenSelectors.from_document(root)
    hidden: dict[etree._Element, str] = {}
    stack: list[tuple[etree._Element, str | None]] = [(root, None)]
    while stack:
        element, inherited = stack.pop()
        if not isinstance(element.tag, str):
            continue
        how = inherited or element_hiding(element, selectors)
        if how:
            hidden[element] = how
        stack.extend((child, how) for child in element)
    return hidden
