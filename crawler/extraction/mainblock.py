"""Locate the article on a page: its container, headline, byline and trailing footer blocks.

Chinese news templates name their article box (``#content``, ``.TRS_Editor``, ``.left_zw``)
but hijacked copies and small CMSs do not, so the container is chosen by paragraph-text
scoring (readability style) with the names only as a bonus. The footer is kept on purpose:
SEO pollution hides there (``乐乐彩地图``, brand link clouds), and detectors must see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from crawler.extraction.lines import SKIP_TAGS, normalise_space

_POSITIVE = re.compile(
    r"article|content|main|text|trs_editor|left_zw|post|entry|detail|zw|body|news|story|zoom",
    re.I,
)
_NEGATIVE = re.compile(
    r"nav|menu|sidebar|side|aside|comment|share|related|recommend|footer|foot|header|"
    r"breadcrumb|crumb|banner|\bad\b|ads|advert|hot|rank|pager|login|toolbar|topbar|copyright",
    re.I,
)
# Subtrees never worth reading inside the article or after it.
_BOILERPLATE = re.compile(
    r"nav|menu|breadcrumb|crumb|comment|share|related|recommend|sidebar|\bside\b|\bad\b|"
    r"ads|advert|pager|toolbar|login|hot|rank|\bright\b|\bfr\b|col-right",
    re.I,
)
_FOOTER = re.compile(r"(?:^|[\s_-])(?:footer|foot|bottom|copyright|copy|ft)(?:$|[\s_-])", re.I)
_PARAGRAPH_TAGS = frozenset(("p", "pre", "blockquote", "li", "h2", "h3", "h4", "td"))
_CONTAINER_TAGS = frozenset(("div", "article", "section", "main", "td", "body", "font", "center"))
_BOILERPLATE_TAGS = frozenset(("nav", "aside", "header", "form"))


def _names(element: etree._Element) -> str:
    return f"{element.get('id') or ''} {element.get('class') or ''}"


def is_boilerplate(element: etree._Element) -> bool:
    """Menus, breadcrumbs, share bars, comment widgets: chrome, not article or footer text."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag in _BOILERPLATE_TAGS or bool(_BOILERPLATE.search(_names(element)))


def _direct_text(element: etree._Element) -> int:
    """Length of text an element holds itself (text + inline children + tails), links excluded."""
    size = len(normalise_space(element.text or ""))
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("span", "font", "strong", "b", "em", "i", "u"):
            size += len(normalise_space("".join(child.itertext())))
        size += len(normalise_space(child.tail or ""))
    return size


def _text_length(element: etree._Element) -> tuple[int, int]:
    """(all visible-ish text length, text length inside links) of a subtree."""
    total = len(normalise_space("".join(element.itertext())))
    linked = sum(len(normalise_space("".join(a.itertext()))) for a in element.iter("a"))
    return total, linked


def find_main(root: etree._Element, hidden: dict[etree._Element, str]) -> etree._Element | None:
    """The element holding the article's paragraphs, or None when the page has no prose."""
    scores: dict[etree._Element, float] = {}
    for node in root.iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        if not tag or tag in SKIP_TAGS or node in hidden:
            continue
        own = _direct_text(node)
        if own < 20:
            continue
        weight = min(own, 1000) + 20
        if tag in _PARAGRAPH_TAGS:
            parent = node.getparent()
            targets = ((parent, 1.0), (parent.getparent() if parent is not None else None, 0.5))
        elif tag in _CONTAINER_TAGS:
            targets = ((node, 1.0), (node.getparent(), 0.5))
        else:
            continue
        for target, factor in targets:
            if target is not None and factor:
                scores[target] = scores.get(target, 0.0) + weight * factor
    if not scores:
        return None
    best: etree._Element | None = None
    best_score = 0.0
    for element, score in sorted(scores.items(), key=lambda kv: -kv[1])[:8]:
        names = _names(element)
        if _POSITIVE.search(names):
            score *= 1.3
        if _NEGATIVE.search(names):
            score *= 0.4
        total, linked = _text_length(element)
        score *= 1.0 - (linked / total if total else 1.0)
        if score > best_score:
            best, best_score = element, score
    return best


def _follows(a: etree._Element, b: etree._Element, order: dict[etree._Element, int]) -> bool:
    return order.get(a, -1) > order.get(b, -1)


@dataclass
class ArticleLayout:
    """Where each part of the article sits in the tree (any part may be missing)."""

    main: etree._Element | None = None
    headline: etree._Element | None = None
    byline: etree._Element | None = None
    trailing: list[etree._Element] = field(default_factory=list)
    footers: list[etree._Element] = field(default_factory=list)
    # Set when an unclosed <h1> swallowed the body: only its leading text is the headline.
    headline_text: str | None = None


def _find_headline(
    root: etree._Element, main: etree._Element | None, order: dict[etree._Element, int]
) -> etree._Element | None:
    """The h1 nearest before the article body (else the first h1, else an h2 in the body)."""
    h1s = [h for h in root.iter("h1") if normalise_space("".join(h.itertext()))]
    if main is not None:
        before = [h for h in h1s if order[h] <= order[main] or _inside(h, main)]
        if before:
            return before[-1]
    if h1s:
        return h1s[0]
    if main is not None:
        for h in main.iter("h2", "h3"):
            if normalise_space("".join(h.itertext())):
                return h
    return None


def _inside(element: etree._Element, container: etree._Element) -> bool:
    parent = element
    while parent is not None:
        if parent is container:
            return True
        parent = parent.getparent()
    return False


def _find_byline(headline: etree._Element | None) -> etree._Element | None:
    """The short element printed right under the headline (source, author, time)."""
    if headline is None:
        return None
    sibling = headline.getnext()
    while sibling is not None:
        if isinstance(sibling.tag, str) and sibling.tag not in SKIP_TAGS:
            text = normalise_space("".join(sibling.itertext()))
            if text:
                return sibling if len(text) <= 120 and sibling.tag != "p" else None
        sibling = sibling.getnext()
    return None


def _trailing(main: etree._Element, footers: list[etree._Element]) -> list[etree._Element]:
    """Blocks right after the article body (editor lines, keyword lines) at two levels up."""
    out: list[etree._Element] = []
    level = main
    for _ in range(2):
        sibling = level.getnext()
        while sibling is not None:
            if (isinstance(sibling.tag, str) and sibling.tag not in SKIP_TAGS
                    and not is_boilerplate(sibling)
                    and not any(_inside(f, sibling) or _inside(sibling, f) for f in footers)):
                out.append(sibling)
            sibling = sibling.getnext()
        level = level.getparent()
        if level is None or level.tag == "body":
            break
    return out


def _find_footers(root: etree._Element, main: etree._Element | None) -> list[etree._Element]:
    """Outermost footer regions (``<footer>``, ``#footer``, ``.bottom`` ...) not holding the body."""
    found: list[etree._Element] = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag == "footer" or _FOOTER.search(_names(node)):
            if main is not None and _inside(main, node):
                continue
            if any(_inside(node, outer) for outer in found):
                continue
            found.append(node)
    return found


def locate(root: etree._Element, hidden: dict[etree._Element, str]) -> ArticleLayout:
    """Find every part of the article layout on a parsed page."""
    order = {el: i for i, el in enumerate(root.iter())}
    main = find_main(root, hidden)
    headline = _find_headline(root, main, order)
    headline_text = None
    if main is not None and headline is not None and _inside(main, headline):
        headline_text = normalise_space(headline.text or "")
        headline = None  # unclosed <h1>: the body sits inside it, so do not skip its subtree
    byline = _find_byline(headline)
    footers = _find_footers(root, main)
    if main is not None:
        footers = [f for f in footers if _follows(f, main, order)]
    trailing = _trailing(main, footers) if main is not None else []
    return ArticleLayout(main, headline, byline, trailing, footers, headline_text)
