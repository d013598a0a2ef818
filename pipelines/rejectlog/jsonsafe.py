"""Turning any item snapshot into JSON that can be written, read back and restored.

Crawled items hold bytes, datetimes, sets, NaN and lone surrogates. The rejected log must
keep every item (a record that fails to serialise would be an item silently lost), and
``spamsieve review restore`` must hand back exactly the JSON that was logged. So values
JSON cannot hold are turned into small *marker objects* that are themselves plain JSON:

* ``{"$bytes": "<base64>"}`` for bytes / bytearray / memoryview,
* ``{"$float": "nan" | "inf" | "-inf"}`` for non-finite floats,
* ``{"$repr": "<repr()>", "$type": "<module.Class>"}`` for anything else (datetime,
  Decimal, custom objects...), which cannot be rebuilt but is never lost from view.

Dict keys that are not strings become ``str(key)``; tuples and sets become lists (sets
sorted by repr so the output is stable). Strings with lone surrogates are kept as they
are: :func:`dumps_line` escapes them (``\\udxxx``), which JSON readers turn back into the
same Python string.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Mapping
from typing import Any

BYTES_MARKER = "$bytes"
FLOAT_MARKER = "$float"
REPR_MARKER = "$repr"
TYPE_MARKER = "$type"
_MAX_REPR = 10_000
_MAX_DEPTH = 100


# Exact types json_safe returns unchanged at any depth (its first tests below): inside a
# dict or list such a child is taken as is, without a call. A record holds ~120 of them
# (names, evidence texts, spans) and the call per leaf was most of the walk's cost.
# float is not here: NaN and infinities need a marker.
_LEAVES = frozenset({str, int, bool, type(None)})


def json_safe(value: Any, _depth: int = 0) -> Any:
    """A JSON-serialisable copy of ``value`` (see the module doc for the markers)."""
    kind = type(value)
    if kind is str:  # most values: the exact-type tests skip the slower isinstance chain
        return value
    if kind is dict and _depth <= _MAX_DEPTH:
        depth = _depth + 1
        return {k if type(k) is str else _key(k): v if type(v) in _LEAVES else json_safe(v, depth)
                for k, v in value.items()}
    if kind is list and _depth <= _MAX_DEPTH:
        depth = _depth + 1
        return [v if type(v) in _LEAVES else json_safe(v, depth) for v in value]
    if kind is float and math.isfinite(value):  # scores: before the isinstance chain
        return value
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return {FLOAT_MARKER: "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    if _depth > _MAX_DEPTH:
        return _repr_marker(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {BYTES_MARKER: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Mapping):
        return {_key(k): json_safe(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v, _depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return [json_safe(v, _depth + 1) for v in sorted(value, key=repr)]
    return _repr_marker(value)


def decode_bytes_marker(value: Any) -> bytes | None:
    """The bytes a ``{"$bytes": ...}`` marker stands for, else None (used by ``show``)."""
    if isinstance(value, dict) and set(value) == {BYTES_MARKER}:
        try:
            return base64.b64decode(value[BYTES_MARKER])
        except (ValueError, TypeError):
            return None
    return None


# Characters JSON leaves raw with ensure_ascii=False but that line-splitting readers
# (Python's str.splitlines, pre-2019 JavaScript) take for line ends: a record holding one
# would read back as two broken lines. They can only occur inside JSON strings, where the
# escape parses back to the same character.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def escape_line_breaks(text: str) -> str:
    """``text`` (serialised JSON) with U+2028/U+2029/U+0085 written as escapes."""
    if "\u2028" in text or "\u2029" in text or "\x85" in text:
        return text.translate(_LINE_BREAKS)
    return text


def dumps_line(value: Any) -> bytes:
    """One JSON Lines line (UTF-8, non-ASCII kept readable, newline-terminated).

    Falls back to ASCII escapes only when the value holds lone surrogates, which UTF-8
    cannot encode; both forms parse back to the same value.
    """
    text = escape_line_breaks(
        json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")))
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
        return (text + "\n").encode("ascii")


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bytes):
        return key.decode("utf-8", "backslashreplace")
    return str(key)


def _repr_marker(value: Any) -> dict[str, str]:
    cls = type(value)
    try:
        text = repr(value)
    except Exception as exc:  # a broken __repr__ must not lose the record
        text = f"<unrepresentable {cls.__name__}: {exc!r}>"
    return {REPR_MARKER: text[:_MAX_REPR], TYPE_MARKER: f"{cls.__module__}.{cls.__qualname__}"}
