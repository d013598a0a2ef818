"""``spamsieve review restore``: give back the original items of chosen records.

Each output line is the record's ``item`` exactly as logged (the item as it entered
spamsieve, made JSON-safe), serialised like the log itself, so it can be appended to the
kept output (a JSON Lines feed) as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from pipelines.rejectlog.jsonsafe import dumps_line


def write_restored(records: Iterable[dict[str, Any]], out: IO[bytes]) -> tuple[int, int]:
    """Write the items to a binary stream; returns (restored, skipped_without_item)."""
    restored = skipped = 0
    for record in records:
        item = record.get("item")
        if not isinstance(item, dict):
            skipped += 1
            continue
        out.write(dumps_line(item))
        restored += 1
    out.flush()
    return restored, skipped
