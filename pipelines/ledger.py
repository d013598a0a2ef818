"""Per-crawl memory of each in-flight item as it entered spamsieve.

Cleaning rewrites items in place, yet the rejected-items log must store the item *as it
came in* so it can be restored exactly. The first spamsieve pipeline remembers a deep
copy here; the rejected log reads it back when the item is dropped (by any pipeline) and
everything is forgotten once the item leaves the chain (scraped, dropped or errored).
"""

from __future__ import annotations

import copy
from typing import Any

from itemadapter import ItemAdapter

_ATTR = "_spamsieve_ledger"


class ItemLedger:
    def __init__(self) -> None:
        self._originals: dict[int, tuple[Any, dict[str, Any]]] = {}
        self.notes: dict[int, dict[str, Any]] = {}
        # The rejected-items log forgets entries itself, after reading them.
        self.managed_by_log = False

    @classmethod
    def of(cls, crawler: Any) -> ItemLedger:
        ledger = getattr(crawler, _ATTR, None)
        if ledger is None:
            ledger = cls()
            setattr(crawler, _ATTR, ledger)
            ledger._forget_when_items_leave(crawler)
        return ledger

    def _forget_when_items_leave(self, crawler: Any) -> None:
        """Free entries when no rejected-items log does it (the log is switched off);
        otherwise the log forgets each entry after writing its record."""
        signals_manager = getattr(crawler, "signals", None)
        if signals_manager is None:
            return
        from scrapy import signals

        def forget(item: Any = None, **_: Any) -> None:
            if not self.managed_by_log:
                self.forget(item)

        self._forget_handler = forget  # pydispatch holds weak references
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            signals_manager.connect(forget, signal=signal)

    def remember(self, item: Any) -> None:
        """Snapshot the item the first time spamsieve sees it (idempotent)."""
        key = id(item)
        if key in self._originals:
            return
        try:
            snapshot = copy.deepcopy(ItemAdapter(item).asdict())
        except Exception:  # not an item type itemadapter knows: keep what we can
            snapshot = {"value": repr(item)[:10_000]}
        # keep a reference to the item so its id() cannot be reused while it is in flight
        self._originals[key] = (item, snapshot)

    def original(self, item: Any) -> dict[str, Any] | None:
        entry = self._originals.get(id(item))
        return entry[1] if entry else None

    def note(self, item: Any, **values: Any) -> None:
        """Let a stage leave facts for later stages/the log (e.g. the verdict)."""
        self.notes.setdefault(id(item), {}).update(values)

    def notes_for(self, item: Any) -> dict[str, Any]:
        return self.notes.get(id(item), {})

    def forget(self, item: Any) -> None:
        self._originals.pop(id(item), None)
        self.notes.pop(id(item), None)

    def __len__(self) -> int:
        return len(self._originals)
