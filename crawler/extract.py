"""Extract an ``ArticleItem`` from a raw news page (the crawler side of spamsieve).

Why a custom extractor rather than a generic "readability": the detectors downstream need
what generic extractors throw away — the page ``<title>`` and byline where hijackers stuff
their brand, the footer lines where they leave ``X地图`` and link clouds, the links hidden
with CSS — and they need the body one paragraph per line. Never raises on bad input: an
unparseable page yields an item with empty fields.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree, html

from crawler.extraction.decode import decode_html
from crawler.extraction.lines import element_lines, many_element_lines, normalise_space
from crawler.extraction.mainblock import is_boilerplate, locate
from crawler.extraction.metadata import (
    canonical_url,
    meta_content,
    page_lang,
    page_title,
    published_date,
    source_name,
)
from crawler.extraction.visibility import hidden_elements
from crawler.items import ArticleItem

__all__ = ["decode_html", "extract_article", "looks_like_article", "parse_document"]

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BINARY_CHARS = re.compile(r"[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")
_UNFOLLOWABLE = ("javascript:", "mailto:", "tel:", "#", "data:")
_SENTENCE_END = re.compile(r"[。！？!?；;…”」』\"）)]$")

_LAYOUT_TAG = re.compile(r"</?(?:div|span|font|section|article|center|table|tr|td|tbody)\b[^>]*>", re.I)
_ABSURD_DEPTH = 1000

MIN_ARTICLE_PROSE_CHARS = 60
MIN_ARTICLE_PROSE_LINES = 2


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    return bool(sample) and len(_BINARY_CHARS.findall(sample)) > 0.02 * len(sample)


def parse_document(text: str) -> etree._Element | None:
    """Parse HTML leniently (unclosed tags, garbage, absurd nesting); None if nothing parses."""
    text = _XML_DECL.sub("", text, count=1)
    text = _BINARY_CHARS.sub("", text)
    if not text.strip():
        return None
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True,
                             recover=True)
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is not None and _max_depth(root) >= _ABSURD_DEPTH:
        # libxml2 silently drops content nested beyond ~2000 levels (a cheap DoS used by
        # spam pages); flatten the layout tags into line breaks so the text survives.
        flat = _LAYOUT_TAG.sub("<br>", text)
        try:
            root = etree.fromstring(flat, parser)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            return None
    return root


def _max_depth(root: etree._Element) -> int:
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node)
    return deepest


def safe_urljoin(base: str, href: str) -> str:
    """urljoin that returns "" for URLs urllib cannot parse (e.g. a broken IPv6 host)."""
    try:
        return urljoin(base, href.strip())
    except ValueError:
        return ""


def _base_url(root: etree._Element, url: str) -> str:
    for base in root.iter("base"):
        if base.get("href"):
            return safe_urljoin(url, base.get("href")) or url
    return url


def _links(
    root: etree._Element, base: str, hidden: dict[etree._Element, str]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    visible: list[dict[str, str]] = []
    invisible: list[dict[str, str]] = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.lower().startswith(_UNFOLLOWABLE):
            continue
        absolute = safe_urljoin(base, href)
        if not absolute:
            continue
        text = normalise_space("".join(anchor.itertext()))
        how = hidden.get(anchor)
        if how:
            invisible.append({"url": absolute, "text": text, "how": how})
        else:
            visible.append({"url": absolute, "text": text})
    return visible, invisible


def extract_article(
    body: bytes | str, url: str, *, encoding: str | None = None, keep_html: bool = False
) -> ArticleItem:
    """Build an ``ArticleItem`` from page bytes (or text) fetched from ``url``.

    ``encoding`` is the charset the server declared (HTTP header), used as a hint only.
    ``text`` holds the article body one paragraph per line followed by the lines shown after
    it (editor line, footer), with menus, sidebars, scripts and hidden elements removed.
    ``hidden_links[i]["how"]`` is one of: ``display:none``, ``visibility:hidden``,
    ``font-size:0``, ``width:0``, ``height:0``, ``offscreen`` (left/top/text-indent of
    -100px or more), ``marquee``, ``hidden-attribute``, ``css-class`` (a class or id hidden
    by a simple rule in the page's own ``<style>``). Hidden links are not in ``links``.
    """
    text = decode_html(body, encoding) if isinstance(body, bytes) else body
    item = ArticleItem(url=url, html=text if keep_html else None)
    if _looks_binary(text):
        return item
    root = parse_document(text)
    if root is None:
        return item
    hidden = hidden_elements(root)
    layout = locate(root, hidden)
    skipped_parts = {el for el in (layout.headline, layout.byline) if el is not None}

    def skip_in_body(element: etree._Element) -> bool:
        return element in hidden or element in skipped_parts or is_boilerplate(element)

    lines: list[str] = []
    if layout.main is not None:
        lines.extend(element_lines(layout.main, skip_in_body))
        lines.extend(many_element_lines(layout.trailing, skip_in_body))
    lines.extend(many_element_lines(layout.footers, lambda el: el in hidden))

    item.title = page_title(root)
    if layout.headline_text is not None:
        item.headline = layout.headline_text
    elif layout.headline is not None:
        item.headline = " ".join(element_lines(layout.headline, lambda el: el in hidden))
    item.byline = (
        " ".join(element_lines(layout.byline, lambda el: el in hidden))
        if layout.byline is not None else ""
    )
    item.text = "\n".join(lines)
    item.published = published_date(root, item.byline)
    item.source = source_name(root, item.byline)
    base = _base_url(root, url)
    item.links, item.hidden_links = _links(root, base, hidden)
    item.meta_keywords = meta_content(root, "keywords")
    item.meta_description = meta_content(root, "description")
    item.canonical_url = canonical_url(root, base)
    item.lang = page_lang(root)
    return item


def looks_like_article(item: ArticleItem) -> bool:
    """True for pages worth yielding: a headline over real prose, not a list of links.

    Prose = lines ending like sentences or long lines that are not just a link's text; index
    and list pages consist of short link titles and fail this.
    """
    if not item.headline or not item.text:
        return False
    link_texts = {link["text"] for link in item.links if link.get("text")}
    prose_chars = prose_lines = 0
    for line in item.text.split("\n"):
        if line in link_texts:
            continue
        if _SENTENCE_END.search(line) or len(line) >= 60:
            prose_chars += len(line)
            prose_lines += 1
    return prose_chars >= MIN_ARTICLE_PROSE_CHARS and prose_lines >= MIN_ARTICLE_PROSE_LINES
