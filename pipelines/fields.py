"""Reading spamsieve's canonical fields out of any item, and writing cleaned values back.

Users' items are dicts, ``scrapy.Item``, dataclasses, attrs or pydantic models with their
own field names; ``SPAMSIEVE_FIELDS`` maps canonical names to theirs. Crawled values are
also messy (None, numbers, lists, bytes, lone surrogates); ``coerce_text`` turns each into
text or reports precisely why it could not, so the item is rejected as ``unanalyzable``
with that reason instead of crashing the crawl.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from itemadapter import ItemAdapter

from pipelines.model import CANONICAL_FIELDS, Document

LIST_FIELDS = ("hidden_links",)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters but \t \n \r
# Anything _scrub would change: one C-level scan lets clean text (the common case) through.
_NEEDS_SCRUB = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\r\ud800-\udfff]")


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
        adapter = ItemAdapter(item)
        problems: list[str] = []
        values: dict[str, Any] = {}
        for canonical in CANONICAL_FIELDS:
            name = self.name(canonical)
            raw = adapter.get(name) if name in adapter else None
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
        adapter = ItemAdapter(item)
        name = self.name(canonical)
        return coerce_text(adapter.get(name) if name in adapter else None)[0]

    def write(self, item: Any, canonical: str, value: Any) -> bool:
        """Write a cleaned value back; False when the item has no such field to write."""
        adapter = ItemAdapter(item)
        name = self.name(canonical)
        if name in adapter or name in adapter.field_names():
            try:
                adapter[name] = value
            except (KeyError, TypeError, ValueError, AttributeError):
                return False
            return True
        return False

    def can_hold(self, item: Any, name: str) -> bool:
        """Whether ``name`` may be set on this item without adding an undeclared field."""
        adapter = ItemAdapter(item)
        if isinstance(item, dict):
            return True
        return name in adapter.field_names()


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


def _scrub(text: str) -> tuple[str, str]:
    """Drop lone surrogates and control characters, which break JSON output and regexes."""
    if not _NEEDS_SCRUB.search(text):
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
