"""``spamsieve review show ID``: one record, with each piece of evidence shown in place.

The reviewer's question is "is this really gambling pollution?", which the item's text
around the matched span answers faster than the raw JSON does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.text import Text

from pipelines.review.evidence import locate

HEADER_FIELDS = ("id", "time", "job", "spider", "url", "domain", "stage", "reason", "score",
                 "message", "duplicate_of", "distance", "exception")


class RecordNotFound(LookupError):
    pass


def find_record(records: Iterable[dict[str, Any]], record_id: str) -> dict[str, Any]:
    """The record whose id is ``record_id`` or starts with it (must be unambiguous)."""
    matches = [r for r in records if str(r.get("id", "")).startswith(record_id)]
    exact = [r for r in matches if r.get("id") == record_id]
    if exact:
        return exact[0]
    if not matches:
        raise RecordNotFound(f"no record with id {record_id!r}")
    ids = {str(r.get("id")) for r in matches}
    if len(ids) > 1:
        raise RecordNotFound(f"id prefix {record_id!r} is ambiguous: {', '.join(sorted(ids)[:10])}")
    return matches[0]


def render_show(record: dict[str, Any], console: Console, *, as_json: bool) -> None:
    if as_json:
        console.file.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return
    for key in HEADER_FIELDS:
        value = record.get(key)
        if value in (None, ""):
            continue
        line = Text(f"{key:>12}: ", style="bold")
        line.append(str(value))
        console.print(line, soft_wrap=True)
    for line_text in record.get("traceback") or []:
        console.print(Text(f"{'':>12}  {line_text}", style="dim"), soft_wrap=True)
    reasons = [r for r in record.get("reasons") or [] if isinstance(r, dict)]
    if reasons:
        console.print(Text("\nreasons:", style="bold"))
        for reason in reasons:
            console.print(Text(f"  {reason.get('name')}  score {reason.get('score')}  "
                               f"({len(reason.get('evidence') or [])} evidence)"),
                          soft_wrap=True)
    located = locate(record)
    if located:
        console.print(Text("\nevidence:", style="bold"))
    for loc in located:
        console.print(Text(f"  {loc.label}", style="cyan"), soft_wrap=True)
        body = Text("    ")
        if loc.found:
            body.append(_one_line(loc.before), style="dim")
            body.append(_one_line(loc.match), style="reverse red")
            body.append(_one_line(loc.after), style="dim")
        else:
            body.append(_one_line(loc.match) or "(no text)", style="reverse red")
            body.append("  (not located in the item)", style="dim italic")
        console.print(body, soft_wrap=True)
    item = record.get("item")
    if isinstance(item, dict):
        console.print(Text(f"\nitem fields: {', '.join(map(str, item)) or '(none)'}",
                           style="bold"), soft_wrap=True)


def _one_line(text: str) -> str:
    return text.replace("\n", " ⏎ ")
