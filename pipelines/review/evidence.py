"""Locating a record's evidence inside its item, for ``review show`` and the HTML report.

Evidence spans are offsets into the *canonical* field value (``text``, ``title``...) as
spamsieve read it, while the record stores the item with the user's own field names
(``fields`` holds SPAMSIEVE_FIELDS). Offsets can also drift when the value was coerced
(bytes, lists, ``\\r\\n``). So a span is trusted only when the item's text at the span
equals the evidence text; otherwise the evidence text is searched for; otherwise the
evidence is shown on its own, marked "not located".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipelines.rejectlog.jsonsafe import decode_bytes_marker

CONTEXT_CHARS = 60


@dataclass
class Located:
    reason: str
    field: str
    evidence: dict[str, Any]
    before: str = ""
    match: str = ""
    after: str = ""
    found: bool = False

    @property
    def label(self) -> str:
        ev = self.evidence
        parts = [f"{self.reason} in {self.field}"]
        if ev.get("start") is not None:
            parts.append(f"[{ev.get('start')}:{ev.get('end')}]")
        if ev.get("value") is not None:
            parts.append(f"value={ev.get('value')}")
        if ev.get("note"):
            parts.append(f"({ev.get('note')})")
        return " ".join(parts)


def field_text(record: dict[str, Any], field: str) -> str | None:
    """The item's value for canonical ``field`` as text, or None when there is none."""
    item = record.get("item")
    if not isinstance(item, dict):
        return None
    mapping = record.get("fields") if isinstance(record.get("fields"), dict) else {}
    value = item.get(mapping.get(field, field))
    raw = decode_bytes_marker(value)
    if raw is not None:
        value = raw.decode("utf-8", "replace")
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n".join(v for v in value if v)
    return value if isinstance(value, str) else None


def locate(record: dict[str, Any], context: int = CONTEXT_CHARS) -> list[Located]:
    """Every evidence of every reason, with its surrounding text when it can be found."""
    out: list[Located] = []
    for reason in record.get("reasons") or []:
        if not isinstance(reason, dict):
            continue
        for ev in reason.get("evidence") or []:
            if isinstance(ev, dict):
                out.append(_locate_one(record, str(reason.get("name", "?")), ev, context))
    return out


def _locate_one(record: dict[str, Any], reason: str, ev: dict[str, Any],
                context: int) -> Located:
    field = str(ev.get("field") or "text")
    located = Located(reason=reason, field=field, evidence=ev, match=str(ev.get("text") or ""))
    text = field_text(record, field)
    if text is None:
        return located
    wanted = str(ev.get("text") or "")
    start, end = ev.get("start"), ev.get("end")
    span_ok = (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)
               and (not wanted or text[start:end] == wanted))
    if not span_ok:
        if not wanted or wanted not in text:
            return located
        start = text.index(wanted)
        end = start + len(wanted)
    assert isinstance(start, int) and isinstance(end, int)
    located.before = ("…" if start > context else "") + text[max(0, start - context):start]
    located.match = text[start:end]
    located.after = text[end:end + context] + ("…" if end + context < len(text) else "")
    located.found = True
    return located
