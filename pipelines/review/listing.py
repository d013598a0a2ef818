"""``spamsieve review list``: one line per record, for scanning and for ``grep``/``cut``.

Lines are never wrapped or cut (a URL must stay copyable) and carry no markup from the
record: content is always printed as plain ``Text``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.text import Text

LIST_FIELDS = ("id", "time", "stage", "reason", "score", "url")


def format_score(score: Any) -> str:
    if isinstance(score, (int, float)) and not isinstance(score, bool):
        return f"{score:.2f}"
    return "-"


def list_line(record: dict[str, Any]) -> Text:
    """``id  time  stage/reason  score  url`` with light colour (only on terminals)."""
    line = Text()
    line.append(str(record.get("id", "?")), style="bold cyan")
    line.append("  ")
    line.append(str(record.get("time", ""))[:19].replace("T", " "), style="dim")
    line.append("  ")
    what = f"{record.get('stage', '?')}/{record.get('reason', '?')}"
    line.append(f"{what:<28}", style="red" if record.get("stage") == "error" else "yellow")
    line.append(f"  {format_score(record.get('score')):>6}  ")
    line.append(str(record.get("url") or "(no url)"))
    return line


def render_list(records: Iterable[dict[str, Any]], console: Console, *, as_json: bool) -> int:
    """Print the records; returns how many were printed."""
    count = 0
    for record in records:
        count += 1
        if as_json:
            slim = {k: record.get(k) for k in LIST_FIELDS}
            slim["domain"] = record.get("domain")
            slim["message"] = record.get("message")
            console.file.write(json.dumps(slim, ensure_ascii=False) + "\n")
        else:
            console.print(list_line(record), soft_wrap=True, overflow="ignore", crop=False)
    return count
