"""Reading spamsieve's canonical fields out of any item, and writing cleaned values back.

Users' items are dicts, ``scrapy.Item``, dataclasses, attrs or pydantic models with their
own field names; ``SPAMSIEVE_FIELDS`` maps canonical names to theirs. Crawled values are
also messy (None, numbers, lists, bytes, lone surrogates); ``coerce_text`` turns each into
text or reports precisely why it could not, so the item is rejected as ``unanalyzable``
with that reason instead of crashing the crawl.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from itemadapter import ItemAdapter

from pipelines.model import CANONICAL_FIELDS, Document

LIST_FIELDS = ("hidden_links",)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters but \t \n \r
# Anything _scrub would change: one C-level scan lets clean text (the common case) through.
_NEEDS_SCRUB = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\r\ud800-\udfff]")

# char_flags() bits: a character _scrub changes (_NEEDS_SCRUB's class), and a replacement
# or private-use character (the class normalize counts to spot binary-looking text).
SCRUB, ODD = 1, 2
# Lengths scanned by char_flags' table gather: below, a regex scan costs less than
# numpy's fixed cost; above, the temporary arrays would grow with the text for nothing.
_TABLE_SCAN = range(256, 200_001)
_flag_table: Any = None
_last_scan: tuple[str, int] = ("", 0)


class FieldMapError(ValueError):
    pass


@dataclass(frozen=True)
class FieldMap:
    mapping: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_value(cls, value: Any) -> FieldMap:
        """Build from SPAMSIEVE_FIELDS / ``--fields`` (a dict, JSON, or ``a=b,c=d``)."""
        if value in (None, "", {}):
            return cls({})
        if isinstance(value, str):
            import json

            text = value.strip()
            if text.startswith("{"):
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise FieldMapError(f"not valid JSON: {exc}") from None
            else:
                pairs = [p.split("=", 1) for p in text.split(",") if p.strip()]
                if any(len(p) != 2 for p in pairs):
                    raise FieldMapError("expected canonical=yourfield pairs separated by commas")
                value = {k.strip(): v.strip() for k, v in pairs}
        if not isinstance(value, Mapping):
            raise FieldMapError(f"expected a mapping, got {type(value).__name__}")
        unknown = sorted(set(value) - set(CANONICAL_FIELDS))
        if unknown:
            raise FieldMapError(
                f"unknown canonical field(s) {', '.join(unknown)}; "
                f"accepted: {', '.join(CANONICAL_FIELDS)}"
            )
        bad = [k for k, v in value.items() if not isinstance(v, str) or not v]
        if bad:
            raise FieldMapError(f"field name for {', '.join(bad)} must be a non-empty string")
        return cls(dict(value))

    def name(self, canonical: str) -> str:
        return self.mapping.get(canonical, canonical)

    def read(self, item: Any) -> tuple[Document, list[str]]:
        """The item's canonical view, plus the problems met while coercing its values."""
        get = field_getter(item)
        problems: list[str] = []
        values: dict[str, Any] = {}
        for canonical in CANONICAL_FIELDS:
            name = self.name(canonical)
            raw = get(name)
            if canonical in LIST_FIELDS:
                values[canonical] = coerce_links(raw)
                continue
            text, problem = coerce_text(raw)
            if problem:
                problems.append(f"{name}: {problem}")
            values[canonical] = text
        return Document(**values), problems

    def read_text(self, item: Any, canonical: str = "text") -> str:
        """One field of :meth:`read`'s Document (the dedupe stage needs only the body)."""
        return coerce_text(field_getter(item)(self.name(canonical)))[0]

    def write(self, item: Any, canonical: str, value: Any) -> bool:
        """Write a cleaned value back; False when the item has no such field to write."""
        adapter = ItemAdapter(item)
        name = self.name(canonical)
        if name in adapter or name in adapter.field_names():
            return self.write_field(item, name, value)
        return False

    def write_field(self, item: Any, name: str, value: Any) -> bool:
        """Write ``value`` into the item's own field ``name`` (not a canonical name);
        False when the item type refuses it."""
        try:
            ItemAdapter(item)[name] = value
        except (KeyError, TypeError, ValueError, AttributeError):
            return False
        return True

    def can_hold(self, item: Any, name: str) -> bool:
        """Whether ``name`` may be set on this item without adding an undeclared field."""
        adapter = ItemAdapter(item)
        if isinstance(item, dict):
            return True
        return name in adapter.field_names()


def field_getter(item: Any) -> Callable[[str], Any]:
    """``name -> value`` of ``item``'s field, None when it has no such field.

    Why: ``adapter.get(name) if name in adapter else None`` looked every field up twice
    (``in`` is itself a lookup catching KeyError, as ``get`` is), so ``get`` alone gives
    the same value. A plain dict skips the adapter: ``DictAdapter`` reads ``item[name]``,
    so ``dict.get`` is the same answer without ~1 us of adapter dispatch per item.
    """
    if type(item) is dict:
        return item.get
    return ItemAdapter(item).get


def item_fields(item: Any) -> list[tuple[str, Any]]:
    """The item's set fields and their values (a dict's own items, without the adapter)."""
    if type(item) is dict:
        return list(item.items())
    return list(ItemAdapter(item).items())


def coerce_text(value: Any) -> tuple[str, str]:
    """Text for a field value, and a problem description ('' when fine)."""
    if value is None:
        return "", ""
    if isinstance(value, str):
        return _scrub(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        if b"\x00" in raw[:4096] and raw.count(b"\x00") > len(raw[:4096]) // 20:
            return "", f"binary data ({len(raw)} bytes)"
        for encoding in ("utf-8", "gb18030", "big5"):
            try:
                return _scrub(raw.decode(encoding))
            except UnicodeDecodeError:
                continue
        return raw.decode("utf-8", "replace"), "bytes in an unknown encoding (decoded lossily)"
    if isinstance(value, bool):
        return "", f"a boolean ({value}) where text was expected"
    if isinstance(value, (int, float)):
        return str(value), ""
    if isinstance(value, (list, tuple)):
        parts = []
        for element in value:
            text, problem = coerce_text(element)
            if problem:
                return "", f"list element: {problem}"
            parts.append(text)
        return "\n".join(p for p in parts if p), ""
    return "", f"a {type(value).__name__} where text was expected"


def char_flags(text: str) -> int:
    """SCRUB | ODD: which of the two character classes ``text`` holds (long texts only,
    see ``_TABLE_SCAN``).

    Why: an article body was scanned twice by regexes, ~10 us each on 4,000 Chinese
    characters (the scrub check here, then normalize's replacement/private-use check),
    while one gather over a per-codepoint table answers both in ~4 us. The last answer
    is remembered with the string itself: strings are immutable and the reference keeps
    its identity from being reused, so ``known_flags`` can hand it to normalize.
    """
    global _flag_table, _last_scan
    if _last_scan[0] is text:
        return _last_scan[1]
    import numpy as np

    if _flag_table is None:
        table = np.zeros(0x110000, dtype=np.uint8)
        for low, high in ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x7F), (0x0D, 0x0D),
                          (0xD800, 0xDFFF)):
            table[low : high + 1] = SCRUB
        table[0xE000 : 0xF8FF + 1] = ODD
        table[0xFFFD] = ODD
        _flag_table = table
    # surrogatepass: a lone surrogate becomes its own codepoint, which the table flags
    codepoints = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    hits = _flag_table.take(codepoints)
    flags = int(np.bitwise_or.reduce(hits)) if np.count_nonzero(hits) else 0
    _last_scan = (text, flags)
    return flags


def known_flags(text: str) -> int | None:
    """``char_flags(text)`` when that very string was the last one scanned, else None."""
    last = _last_scan
    return last[1] if last[0] is text else None


def _needs_scrub(text: str) -> bool:
    if len(text) in _TABLE_SCAN:
        return bool(char_flags(text) & SCRUB)  # the same class as _NEEDS_SCRUB
    return _NEEDS_SCRUB.search(text) is not None


def _scrub(text: str) -> tuple[str, str]:
    """Drop lone surrogates and control characters, which break JSON output and regexes."""
    if not _needs_scrub(text):
        return text, ""
    problem = ""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
        problem = ""  # repaired, not fatal
    # one C-level regex scan instead of a Python loop over every character (it was the
    # single most expensive line of the chain on 4,000-character articles)
    if _CONTROL.search(text, 0, 100_000) or "\x7f" in text:
        text = _CONTROL.sub("", text).replace("\x7f", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problem


def coerce_links(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, (list, tuple)):
        return []
    links = []
    for element in value:
        if isinstance(element, Mapping):
            links.append({str(k): str(v) for k, v in element.items() if v is not None})
        elif isinstance(element, str):
            links.append({"url": element})
    return links
