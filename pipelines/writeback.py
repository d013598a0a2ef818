"""Putting normalised field values back into an item that is going to be kept.

Why: normalisation decodes bytes, drops lone surrogates and control characters and
repairs GBK/UTF-8 mojibake *in spamsieve's Document*, but the item itself goes on to the
feed. A kept item whose ``text`` is still ``bytes`` or holds a lone surrogate makes
Scrapy's JSON feed exporter raise inside its ``item_scraped`` handler: Scrapy only logs
that error, the item is counted as scraped, its fingerprint blocks its copies — and it is
missing from the output. An item kept with mojibake would carry unreadable text that
spamsieve analysed as readable. So the values spamsieve read are written back, but only
where the item's own value cannot be exported or was repaired: clean items are untouched.
The item's *other* fields, which spamsieve does not read, are checked too: one holding a
lone surrogate or bytes would lose the whole item from the feed in the same way, so such
a value is made writable (lone surrogates become ``?``, bytes are decoded, binary bytes
become a ``{"$bytes": base64}`` marker as in the rejected log), and nothing else changes.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy.utils.serialize import ScrapyJSONEncoder

from pipelines.fields import FieldMap, coerce_text, field_getter, item_fields
from pipelines.model import CANONICAL_FIELDS, Document
from pipelines.rejectlog.jsonsafe import json_safe

_FEED_ENCODER = ScrapyJSONEncoder(ensure_ascii=False)  # what Scrapy's JSON feeds encode with


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
    written = _unread_fields_made_writable(item, fieldmap)
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


def feed_writable(value: Any) -> bool:
    """Whether Scrapy's JSON/JSON Lines feed (UTF-8) can write ``value``."""
    try:
        _FEED_ENCODER.encode(value).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError, RecursionError):
        return False
    return True


def _unread_fields_made_writable(item: Any, fieldmap: FieldMap) -> list[str]:
    """The fields spamsieve does not read whose value the feed could not write, rewritten
    so it can (see the module doc); their names. One encoding of all of them answers the
    usual case, so a clean item costs one C-level pass over its small fields."""
    read = {fieldmap.name(canonical) for canonical in CANONICAL_FIELDS}
    others = {name: value for name, value in item_fields(item) if name not in read}
    if not others or feed_writable(others):
        return []
    written = []
    for name, value in others.items():
        if feed_writable(value):
            continue
        fixed = _writable(value)
        if fixed is not value and fieldmap.write_field(item, name, fixed):
            written.append(name)
    return written


def _writable(value: Any, depth: int = 0) -> Any:
    """``value`` with lone surrogates replaced and bytes decoded, containers rebuilt only
    when something inside changed; anything else as it is."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "replace").decode("utf-8")
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        text, problem = coerce_text(value)  # decoded as a read field would be
        return json_safe(value) if problem else text  # binary: a {"$bytes": ...} marker
    if depth > 32:
        return value
    if isinstance(value, dict):
        fixed = {key: _writable(element, depth + 1) for key, element in value.items()}
        return value if all(fixed[key] is element for key, element in value.items()) else fixed
    if isinstance(value, (list, tuple)):
        rebuilt = [_writable(element, depth + 1) for element in value]
        if all(new is old for new, old in zip(rebuilt, value, strict=True)):
            return value
        return type(value)(rebuilt) if isinstance(value, tuple) else rebuilt
    return value


def _repaired(raw: Any, value: Any) -> bool:
    """A text value that normalisation changed beyond scrubbing (mojibake repair, or
    text extracted from HTML where the item's own text was empty)."""
    if not isinstance(raw, str) or not isinstance(value, str):
        return False
    return coerce_text(raw)[0] != value
