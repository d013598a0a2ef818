"""``DedupePipeline``: drop near-identical copies of articles already kept.

Put it after the gambling detection/cleaning pipelines: it fingerprints the *cleaned*
body, so two hijacked copies of one article whose injected lines were removed collapse
onto the same fingerprint.

Only items that are finally kept block later copies. ``process_item`` merely *reserves*
a unique fingerprint; the ``item_scraped`` signal commits it and ``item_dropped`` /
``item_error`` release it, so an item a later pipeline rejects does not make its clean
copy from another site look like a duplicate.

Stats: ``spamsieve/dedupe/unique``, ``.../duplicate``, ``.../too_short`` (texts too short
to fingerprint: passed through, never deduped), ``.../released``, ``.../index_size``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.utils.job import job_dir

from pipelines.config import ConfigError, validate_settings
from pipelines.dedupe.deduper import Deduper, near_duplicate
from pipelines.dedupe.fingerprint import Fingerprinter
from pipelines.dedupe.index import DedupeIndex
from pipelines.defaults import DEFAULTS
from pipelines.errors import DedupeBackendError, DedupeUnavailable
from pipelines.fields import FieldMap
from pipelines.ledger import ItemLedger
from pipelines.model import Evidence, Reason

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

STATS = "spamsieve/dedupe"


def resolve_state_dir(settings: BaseSettings) -> Path | None:
    """SPAMSIEVE_STATE_DIR, else JOBDIR/spamsieve, else None (memory only)."""
    state_dir = settings.get("SPAMSIEVE_STATE_DIR", DEFAULTS["SPAMSIEVE_STATE_DIR"])
    if state_dir:
        return Path(state_dir)
    jobdir = job_dir(settings)
    if jobdir:
        return Path(jobdir) / "spamsieve"
    return None


def open_index(
    settings: BaseSettings, distance: int, stats: Any = None
) -> tuple[DedupeIndex, str]:
    """The configured index backend and a description of where its state lives."""
    backend = settings.get("SPAMSIEVE_DEDUPE_BACKEND", DEFAULTS["SPAMSIEVE_DEDUPE_BACKEND"])
    if backend == "redis":
        from pipelines.dedupe.redis_index import RedisIndex  # optional dependency

        url = settings.get("SPAMSIEVE_REDIS_URL", DEFAULTS["SPAMSIEVE_REDIS_URL"])
        index = RedisIndex.from_settings(settings, distance=distance, stats=stats)
        return index, f"redis at {_without_password(url)}"
    from pipelines.dedupe.local_index import LocalIndex
    from pipelines.dedupe.store import FingerprintStore

    state_dir = resolve_state_dir(settings)
    if state_dir is None:
        return LocalIndex(distance), "memory only (nothing survives the run)"
    # flush_every=1: each kept item's fingerprint is committed (WAL, ~30 us) when the item
    # is kept, right after the feed wrote it. Batching let a killed crawl lose up to 50
    # commits whose items were already in the feed: the resumed crawl kept them again.
    index = LocalIndex(distance, FingerprintStore(state_dir, flush_every=1))
    return index, f"{state_dir} ({len(index)} fingerprints loaded)"


def _without_password(url: str) -> str:
    """The URL for a log line: credentials never reach logs."""
    scheme, sep, rest = url.partition("://")
    host = rest.rpartition("@")[2]
    return f"{scheme}{sep}{host}" if sep else host


def build_deduper(values: Mapping[str, Any], *, state_dir: str | None = None) -> Deduper:
    """A :class:`Deduper` from plain setting values (``SPAMSIEVE_*`` name -> value, as
    ``spamsieve filter`` resolves them), backed by the configured index; ``state_dir``
    overrides SPAMSIEVE_STATE_DIR. The caller closes it."""
    settings = Settings({**DEFAULTS, **dict(values)})
    if state_dir:
        settings.set("SPAMSIEVE_STATE_DIR", str(state_dir))
    distance = settings.getint("SPAMSIEVE_DEDUPE_DISTANCE")
    index, where = open_index(settings, distance)
    logger.info("spamsieve dedupe (k=%d bits): state %s", distance, where)
    fingerprinter = Fingerprinter(min_features=settings.getint("SPAMSIEVE_DEDUPE_MIN_FEATURES"))
    return Deduper(index, fingerprinter)


class DedupePipeline:
    def __init__(
        self,
        crawler: Crawler,
        *,
        distance: int,
        min_features: int,
        fields: FieldMap,
    ) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.distance = distance
        self.fields = fields
        self.fingerprinter = Fingerprinter(min_features=min_features)
        self.deduper: Deduper | None = None
        # id(item) -> (item, key) for items this pipeline reserved; the item reference
        # keeps its id() from being reused while it is in flight
        self._reserved: dict[int, tuple[Any, str]] = {}
        self._reserved_keys: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        # the one validation every component shares: a wrong value stops the crawl (it must
        # never quietly disable dedupe and keep every copy)
        values = validate_settings(crawler.settings)
        if not values["SPAMSIEVE_ENABLED"]:
            raise NotConfigured("SPAMSIEVE_ENABLED is False: near-duplicate dedupe is off")
        if not values["SPAMSIEVE_DEDUPE_ENABLED"]:
            raise NotConfigured("SPAMSIEVE_DEDUPE_ENABLED is False: near-duplicate dedupe is off")
        distance = values["SPAMSIEVE_DEDUPE_DISTANCE"]
        if distance > 32:
            raise ConfigError(f"SPAMSIEVE_DEDUPE_DISTANCE: must be 0..32 bits, got {distance}")
        min_features = values["SPAMSIEVE_DEDUPE_MIN_FEATURES"]
        fields = FieldMap.from_value(values["SPAMSIEVE_FIELDS"])
        pipeline = cls(crawler, distance=distance, min_features=min_features, fields=fields)
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        return pipeline

    def open_spider(self) -> None:
        self.backend_error: str | None = None
        try:
            index, where = open_index(self.crawler.settings, self.distance, self.stats)
        except DedupeBackendError as exc:
            self._backend_failed(str(exc))
            return
        self.deduper = Deduper(index, self.fingerprinter)
        logger.info("spamsieve dedupe (k=%d bits): state %s", self.distance, where)

    def _backend_failed(self, message: str) -> None:
        """Close the crawl once; until it closes, items are logged, never kept unchecked."""
        if getattr(self, "backend_error", None):
            return
        self.backend_error = message
        logger.error("spamsieve dedupe backend failed, closing the crawl: %s", message)
        self.stats.set_value(f"{STATS}/backend_error", message)
        try:
            engine = self.crawler.engine
        except Exception:  # a crawler that is not crawling (tests, tools)
            engine = None
        if engine is not None:
            from scrapy.utils.defer import _schedule_coro

            _schedule_coro(engine.close_spider_async(reason="spamsieve_dedupe_unavailable"))

    def _unavailable(self, url: str) -> DedupeUnavailable:
        message = self.backend_error or "dedupe backend unavailable"
        return DedupeUnavailable(
            f"error/dedupe_unavailable: {message}"[:300], reason="dedupe_unavailable",
            reasons=[Reason("dedupe_unavailable", 1.0, [Evidence("item", note=message)])],
            url=url,
        )

    def close_spider(self) -> None:
        if self.deduper is None:
            return
        index = self.deduper.index
        try:
            self.stats.set_value(f"{STATS}/index_size", len(index))
        except DedupeBackendError:
            pass
        self._reserved.clear()
        self._reserved_keys.clear()
        try:
            index.close()
        except DedupeBackendError as exc:
            logger.error("spamsieve dedupe backend failed while closing: %s", exc)
        self.deduper = None

    def process_item(self, item: Any) -> Any:
        if self.deduper is None and not getattr(self, "backend_error", None):
            self.open_spider()  # used without open_spider (e.g. a bare unit test)
        url = self.fields.read_text(item, "url")  # two fields, not the whole Document
        if self.deduper is None:
            raise self._unavailable(url)
        key = url or f"item:{uuid.uuid4().hex}"
        # the text the earlier stages analysed (extracted from HTML for items without a
        # text field, cleaned when cleaned); reading the item alone left HTML-only items
        # "too short" and never deduped, unlike `spamsieve filter` on the same items
        document = ItemLedger.of(self.crawler).notes_for(item).get("document")
        text = document.text if document is not None else self.fields.read_text(item)
        try:
            result = self.deduper.check(text, key)
        except DedupeBackendError as exc:
            self._backend_failed(str(exc))
            raise self._unavailable(url) from None
        if result.status == "too_short":
            self.stats.inc_value(f"{STATS}/too_short")
            return item
        if result.status == "duplicate":
            self.stats.inc_value(f"{STATS}/duplicate")
            raise near_duplicate(result, url)
        self.stats.inc_value(f"{STATS}/unique")
        self._reserved[id(item)] = (item, key)
        self._reserved_keys.add(key)
        return item

    # -- signals: only items finally kept block later copies ---------------------------
    def _take(self, item: Any) -> str | None:
        entry = self._reserved.pop(id(item), None)
        if entry is not None:
            self._reserved_keys.discard(entry[1])
            return entry[1]
        if not self._reserved_keys or item is None:
            return None
        # a later pipeline may have returned a new object: fall back to its URL
        url = self.fields.read(item)[0].url
        if url and url in self._reserved_keys:
            self._reserved_keys.discard(url)
            for k, (_, key) in list(self._reserved.items()):
                if key == url:
                    del self._reserved[k]
            return url
        return None

    def item_scraped(self, item: Any) -> None:
        key = self._take(item)
        if key is not None and self.deduper is not None:
            self.deduper.commit(key)

    def item_dropped(self, item: Any, exception: BaseException | None = None) -> None:
        self._release(item)

    def item_error(self, item: Any) -> None:
        self._release(item)

    def _release(self, item: Any) -> None:
        key = self._take(item)
        if key is not None and self.deduper is not None:
            self.deduper.release(key)
            self.stats.inc_value(f"{STATS}/released")
