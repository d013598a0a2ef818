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
# immutable leaves: sharing them with the live item is as good as copying them
_ATOMS = frozenset({str, bytes, int, float, bool, type(None), complex})


def detached(value: Any) -> Any:
    """``value`` sharing nothing mutable with anything else, as ``copy.deepcopy`` would.

    Why not deepcopy itself: it costs ~70 us per crawled item (a memo entry and a dispatch
    per string) while items are dicts and lists of strings; strings and numbers cannot
    change, so only containers are rebuilt here and anything unusual (sets, tuples,
    bytearrays, objects) still goes through deepcopy. Deep structures fall back to
    deepcopy too, which also handles self-references.
    """
    return _detached(value, 0)


def snapshot_item(item: Any) -> dict[str, Any]:
    """``copy.deepcopy(ItemAdapter(item).asdict())``, the same dict, built for less.

    ``asdict`` asks every adapter class whether each nested value is an item, strings of
    a page's link list included (~300 us for a crawled article). Strings, numbers, plain
    dicts and lists cannot be items, so they are copied directly; any other value takes
    the original route (``asdict``'s conversion, then deepcopy).
    """
    convert = getattr(ItemAdapter, "_asdict", None)
    if convert is None:  # another itemadapter: the plain, slower way
        return copy.deepcopy(ItemAdapter(item).asdict())
    return {key: _snapshot(value, convert, 0) for key, value in ItemAdapter(item).items()}


def _snapshot(value: Any, convert: Any, depth: int) -> Any:
    kind = type(value)
    if kind in _ATOMS:
        return value
    if depth <= 32:
        if kind is dict:
            return {key: _snapshot(item, convert, depth + 1) for key, item in value.items()}
        if kind is list:
            return [_snapshot(element, convert, depth + 1) for element in value]
    return copy.deepcopy(convert(value))


def _detached(value: Any, depth: int) -> Any:
    kind = type(value)
    if kind in _ATOMS:
        return value
    if depth > 32:
        return copy.deepcopy(value)
    if kind is dict:
        return {key: item if type(item) in _ATOMS else _detached(item, depth + 1)
                for key, item in value.items()}
    if kind is list:
        return [element if type(element) in _ATOMS else _detached(element, depth + 1)
                for element in value]
    return copy.deepcopy(value)


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
            snapshot = snapshot_item(item)
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
