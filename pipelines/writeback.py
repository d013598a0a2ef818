"""Putting normalised field values back into an item that is going to be kept.

Why: normalisation decodes bytes, drops lone surrogates and control characters and
repairs GBK/UTF-8 mojibake *in spamsieve's Document*, but the item itself goes on to the
feed. A kept item whose ``text`` is still ``bytes`` or holds a lone surrogate makes
Scrapy's JSON feed exporter raise inside its ``item_scraped`` handler: Scrapy only logs
that error, the item is counted as scraped, its fingerprint blocks its copies — and it is
missing from the output. An item kept with mojibake would carry unreadable text that
spamsieve analysed as readable. So the values spamsieve read are written back, but only
where the item's own value cannot be exported or was repaired: clean items are untouched.
"""

from __future__ import annotations

import json
from typing import Any

from pipelines.fields import FieldMap, coerce_text, field_getter
from pipelines.model import CANONICAL_FIELDS, Document


def exportable(value: Any) -> bool:
    """Whether a JSON/JSON Lines feed (UTF-8) can write ``value``."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError, RecursionError):
        return False
    return True


def write_back(item: Any, fieldmap: FieldMap, doc: Document) -> list[str]:
    """Write ``doc``'s value into each canonical field of ``item`` whose own value is not
    exportable, or is text that normalisation repaired (mojibake) or filled in (text
    extracted from HTML into an empty text field). Returns the canonical names written."""
    get = field_getter(item)  # None for a missing field, which is skipped like a None value
    written = []
    for canonical in CANONICAL_FIELDS:
        raw = get(fieldmap.name(canonical))
        if raw is None:
            continue
        value = getattr(doc, canonical)
        if raw == value:
            continue
        if exportable(raw) and not _repaired(raw, value):
            continue
        if fieldmap.write(item, canonical, value):
            written.append(canonical)
    return written


def _repaired(raw: Any, value: Any) -> bool:
    """A text value that normalisation changed beyond scrubbing (mojibake repair, or
    text extracted from HTML where the item's own text was empty)."""
    if not isinstance(raw, str) or not isinstance(value, str):
        return False
    return coerce_text(raw)[0] != value
