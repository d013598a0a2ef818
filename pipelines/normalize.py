"""First stage: remember the item as it came in and build the canonical view detectors read.

Anything that cannot be analysed is rejected here as ``unanalyzable`` with a precise
reason (``empty``, ``binary``, ``too_long``, ``bad_field``), so later stages can assume
sane text and no item ever crashes the crawl or vanishes silently.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import regex
from scrapy.exceptions import NotConfigured

from pipelines.config import validate_settings
from pipelines.errors import Unanalyzable
from pipelines.fields import ODD, FieldMap, known_flags
from pipelines.ledger import ItemLedger
from pipelines.model import Evidence, Reason
from pipelines.writeback import write_back

logger = logging.getLogger(__name__)

_LATIN1_MOJIBAKE = regex.compile(r"[\u00c0-\u00ff][\u0080-\u00ff]")
_CJK = regex.compile(r"\p{Han}")
_INVISIBLE = regex.compile(r"[\p{Cf}\p{Zs}\p{Zl}\p{Zp}]+")  # format chars and separators
_ODD = regex.compile("[\ufffd\ue000-\uf8ff]")  # replacement and private-use characters
_ODD_ANY = re.compile("[\ufffd\ue000-\uf8ff]")  # the same class on the faster stdlib engine


def prepare_document(
    item: Any,
    fieldmap: FieldMap,
    *,
    extract_html: bool = True,
    max_chars: int = 1_000_000,
):
    """The item's Document, or raise Unanalyzable saying exactly what is wrong."""
    doc, problems = fieldmap.read(item)
    url = doc.url
    if problems:
        raise _unanalyzable("bad_field", "; ".join(problems), url)
    if _blank(doc.text) and doc.html.strip() and extract_html:
        doc = _extract_from_html(doc)
    if _blank(doc.text):
        what = "no text and no HTML" if not doc.html.strip() else "HTML without article text"
        raise _unanalyzable("empty", what, url)
    if len(doc.text) > max_chars:
        raise _unanalyzable(
            "too_long",
            f"text of {len(doc.text):,} characters exceeds SPAMSIEVE_MAX_TEXT_CHARS={max_chars:,}",
            url,
            value=len(doc.text),
        )
    doc.text = _repair_mojibake(doc.text)
    doc.title = _repair_mojibake(doc.title)
    if _looks_binary(doc.text):
        raise _unanalyzable("binary", "text is mostly non-printable characters", url)
    return doc


def _blank(text: str) -> bool:
    """No visible character: str.strip() keeps zero-width and format characters (U+200B,
    U+FEFF...), so a page of them was analysed, and kept, as if it had text."""
    stripped = text.strip()
    if not stripped:
        return True
    if not _INVISIBLE.match(stripped):
        return False  # a visible first character: no need to rewrite 4,000 characters to know
    return not _INVISIBLE.sub("", stripped).strip()


def _extract_from_html(doc):
    from crawler.extract import extract_article  # the crawler's own extractor

    article = extract_article(doc.html, doc.url or "about:blank")
    doc.text = article.text
    doc.title = doc.title or article.title
    doc.headline = doc.headline or article.headline
    doc.byline = doc.byline or article.byline
    doc.hidden_links = doc.hidden_links or article.hidden_links
    doc.meta_keywords = doc.meta_keywords or article.meta_keywords
    doc.canonical_url = doc.canonical_url or article.canonical_url
    return doc


def _repair_mojibake(text: str) -> str:
    """Undo GBK/UTF-8 bytes that were decoded as Latin-1 (a common crawler bug)."""
    sample = text[:2000]
    if _CJK.search(sample) or len(_LATIN1_MOJIBAKE.findall(sample)) < 8:
        return text
    raw = text.encode("latin-1", "ignore")
    for encoding in ("utf-8", "gb18030", "big5"):
        try:
            repaired = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CJK.search(repaired[:2000]):
            return repaired
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    if not sample:
        return False
    flags = known_flags(text)
    if flags is not None and not flags & ODD:
        return False  # FieldMap.read just scanned this very text: no odd character at all
    if not _ODD_ANY.search(sample):
        return False  # the usual case, in one stdlib scan (findall below costs ~4x more)
    odd = len(_ODD.findall(sample))  # C-level scan; a Python loop per character was slow
    return odd / len(sample) > 0.3


def _unanalyzable(reason: str, message: str, url: str, value: Any = None) -> Unanalyzable:
    return Unanalyzable(
        f"unanalyzable/{reason}: {message}",
        reason=reason,
        reasons=[Reason(reason, 1.0, [Evidence(field="item", note=message, value=value)])],
        score=None,
        url=url,
    )


class NormalizePipeline:
    """Scrapy pipeline wrapper around ``prepare_document`` (runs first in the chain)."""

    def __init__(self, crawler: Any, values: dict[str, Any]) -> None:
        self.crawler = crawler
        self.ledger = ItemLedger.of(crawler)
        self.fieldmap = FieldMap.from_value(values["SPAMSIEVE_FIELDS"])
        self.extract_html = values["SPAMSIEVE_EXTRACT_HTML"]
        self.max_chars = values["SPAMSIEVE_MAX_TEXT_CHARS"]

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalizePipeline:
        values = validate_settings(crawler.settings)
        if not values["SPAMSIEVE_ENABLED"]:
            raise NotConfigured("SPAMSIEVE_ENABLED is False")
        return cls(crawler, values)

    def process_item(self, item: Any) -> Any:
        self.ledger.remember(item)
        stats = self.crawler.stats
        stats.inc_value("spamsieve/items")
        try:
            doc = prepare_document(
                item, self.fieldmap, extract_html=self.extract_html, max_chars=self.max_chars
            )
        except Unanalyzable as exc:
            stats.inc_value(f"spamsieve/unanalyzable/{exc.reason}")
            raise
        except Exception as exc:  # a bug or an extractor failure must not lose the item
            logger.exception("spamsieve could not read an item")
            stats.inc_value("spamsieve/unanalyzable/internal_error")
            raise _unanalyzable("internal_error", f"{type(exc).__name__}: {exc}"[:300], "") from exc
        for canonical in write_back(item, self.fieldmap, doc):  # bytes/surrogates/mojibake
            stats.inc_value(f"spamsieve/normalized/{canonical}")
        self.ledger.note(item, document=doc)
        return item
