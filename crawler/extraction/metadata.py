"""Page-level metadata: <title>, meta tags, canonical URL, language, date and source.

Hijackers stuff brands into the title and keywords while leaving the copied body intact, so
these fields are kept verbatim (whitespace-normalised) for the detectors to compare.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from crawler.extraction.lines import normalise_space

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/年.]\s*(?P<m>\d{1,2})\s*[-/月.]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2}))?)?"
)
_SOURCE = re.compile(r"(?:来源|來源|稿源|出处|source)\s*[:：]\s*([^\s|/,，:：]{1,30})", re.I)
_DATE_META = ("article:published_time", "pubdate", "publishdate", "publish_date", "date",
              "og:release_date", "datepublished")
_SOURCE_META = ("source", "og:site_name", "site_name", "contentsource")


def meta_content(root: etree._Element, *names: str) -> str:
    """The first non-empty ``<meta name|property=...>`` content among ``names``."""
    wanted = {n.lower() for n in names}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        if key in wanted:
            value = normalise_space(meta.get("content") or "")
            if value:
                return value
    return ""


def page_title(root: etree._Element) -> str:
    for title in root.iter("title"):
        return normalise_space("".join(title.itertext()))
    return ""


def canonical_url(root: etree._Element, base_url: str) -> str:
    """rel=canonical (else og:url) made absolute; "" when absent or unparseable."""
    href = ""
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            href = link.get("href").strip()
            break
    href = href or meta_content(root, "og:url")
    if not href:
        return ""
    try:
        return urljoin(base_url, href)
    except ValueError:
        return ""


def page_lang(root: etree._Element) -> str:
    lang = (root.get("lang") or root.get("xml:lang") or "").strip()
    if not lang:
        for meta in root.iter("meta"):
            if (meta.get("http-equiv") or "").lower() == "content-language":
                lang = (meta.get("content") or "").strip()
                break
    return lang


def parse_date(text: str) -> str:
    """ISO-8601 date (with time when printed) of the first date in ``text``, else ""."""
    match = _DATE.search(text or "")
    if not match:
        return ""
    y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return ""
    iso = f"{y:04d}-{m:02d}-{d:02d}"
    if match["H"] is not None and int(match["H"]) < 24 and int(match["M"]) < 60:
        iso += f"T{int(match['H']):02d}:{match['M']}:{match['S'] or '00'}"
    return iso


def published_date(root: etree._Element, byline: str) -> str:
    return parse_date(byline) or parse_date(meta_content(root, *_DATE_META))


def source_name(root: etree._Element, byline: str) -> str:
    match = _SOURCE.search(byline or "")
    if match:
        return match.group(1)
    return meta_content(root, *_SOURCE_META)
