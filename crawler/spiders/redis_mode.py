"""Redis mode for the project's spiders: start URLs come from a shared Redis list.

With the ``settings.distributed`` preset, N ``scrapy crawl articles`` processes share one
scrapy-redis scheduler queue and request dupefilter; this module is the other half — how a
worker gets *start* URLs. Run with ``-a redis_key=spamsieve:start_urls`` (or the setting
``SPAMSIEVE_REDIS_START_KEY``), the spider ignores its own start URLs and pops batches
from that list; each entry is a URL or scrapy-redis' JSON form
``{"url": ..., "meta": {...}}``. Without a key the spider behaves exactly as before.

Why not ``scrapy_redis.spiders.RedisMixin``: in scrapy-redis 0.9.1 it overrides the
deprecated ``start_requests`` (Scrapy 2.13+ reads ``async start()``), pops with a
non-atomic LRANGE+LTRIM, and measures ``MAX_IDLE_TIME_BEFORE_CLOSE`` from *import time*
rather than from when the worker became idle, so a worker that crawled longer than the
idle limit closes at its first idle moment. This mixin keeps its settings
(``REDIS_URL``, ``REDIS_START_URLS_BATCH_SIZE``, ``MAX_IDLE_TIME_BEFORE_CLOSE``) and data
format, and fixes those three. Unlike scrapy-redis, start requests are *not*
``dont_filter``: they go through the shared dupefilter like any other request, so a URL is
fetched once per crawl however often it is pushed or linked.

Wiring (in the spider's module)::

    from crawler.spiders.redis_mode import RedisStartMixin

    class ArticlesSpider(RedisStartMixin, scrapy.Spider):
        ...

The mixin must come first. It replaces ``start`` on the *instance*, so the spider may
define its own ``start()``/``from_crawler`` freely (a ``from_crawler`` must call super()).

Optional spider hooks, used when present:

* ``make_start_request(url) -> Request`` builds the request for a popped URL (default:
  ``Request(url)``, i.e. the spider's ``parse``);
* ``add_scope(url)`` — a spider that limits link-following to its start URLs' sites (the
  ``articles`` spider does) must learn the start URLs *every* worker popped, since a page
  may be fetched by a worker that never saw its start URL. Popped URLs are added to the
  Redis set ``<redis_key>:seeds`` and each worker replays new members into ``add_scope``
  before a response reaches the spider (one SCARD per response).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

logger = logging.getLogger(__name__)

START_KEY_SETTING = "SPAMSIEVE_REDIS_START_KEY"


class RedisStartMixin:
    """Spider mixin: when given a Redis key, take start URLs from that Redis list."""

    redis_key: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)  # type: ignore[misc]
        key = getattr(spider, "redis_key", None) or crawler.settings.get(START_KEY_SETTING)
        if key:
            feed = RedisStartFeed(crawler, spider, str(key))
            spider.redis_start_feed = feed
            spider.start = feed.start  # instance attribute wins over any start() method
        return spider


class RedisStartFeed:
    """Pops start URLs from a Redis list for one spider and keeps the spider open while
    the list may still receive URLs (up to ``MAX_IDLE_TIME_BEFORE_CLOSE`` idle seconds;
    0 = wait forever, as in scrapy-redis)."""

    def __init__(self, crawler: Crawler, spider: Spider, key: str) -> None:
        try:
            from scrapy_redis.connection import get_redis_from_settings
        except ImportError as exc:  # pragma: no cover - optional dependency
            raise NotConfigured(
                "redis_key given but scrapy-redis is not installed: pip install 'spamsieve[redis]'"
            ) from exc
        settings = crawler.settings
        self.crawler = crawler
        self.spider = spider
        self.key = key % {"name": spider.name}
        self.batch_size = settings.getint(
            "REDIS_START_URLS_BATCH_SIZE", settings.getint("CONCURRENT_REQUESTS", 16)
        )
        self.max_idle = settings.getfloat("MAX_IDLE_TIME_BEFORE_CLOSE", 0.0)
        self.encoding = settings.get("REDIS_ENCODING", "utf-8")
        self.server = get_redis_from_settings(settings)
        self.popped = 0
        self._idle_since: float | None = None
        self.seeds_key = f"{self.key}:seeds"
        self._add_scope = getattr(spider, "add_scope", None)
        self._seeds_known = 0
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self._on_response, signal=signals.response_received)
        logger.info(
            "Reading start URLs from redis list %r (batch %d, close after %gs idle)",
            self.key, self.batch_size, self.max_idle,
        )

    async def start(self) -> AsyncIterator[Any]:
        """Replaces ``Spider.start()``: the first batch from Redis (more come on idle)."""
        for request in self.pop_requests():
            yield request

    def pop_requests(self) -> list[Request]:
        """Atomically pop up to one batch (LPOP with count: no two workers get one URL)."""
        raw = self.server.lpop(self.key, self.batch_size) or []
        requests = [r for r in (self._request_from(entry) for entry in raw) if r is not None]
        if requests and callable(self._add_scope):
            self.server.sadd(self.seeds_key, *(r.url for r in requests))
            self._sync_scopes()
        self.popped += len(requests)
        if requests:
            self._busy()
            self.crawler.stats.inc_value("spamsieve/redis_start_urls", len(requests))
        return requests

    def _request_from(self, entry: bytes | str) -> Request | None:
        text = entry.decode(self.encoding) if isinstance(entry, bytes) else entry
        text = text.strip()
        meta: dict[str, Any] = {}
        if text.startswith("{"):
            try:
                data = json.loads(text)
            except ValueError:
                logger.warning("Ignoring malformed JSON start entry from %r: %.200s", self.key, text)
                return None
            text, meta = str(data.get("url") or ""), dict(data.get("meta") or {})
        if not text:
            logger.warning("Ignoring start entry without a url from %r", self.key)
            return None
        make = getattr(self.spider, "make_start_request", None)
        if callable(make):  # the spider knows how its start pages are requested
            request = make(text)
            if meta:
                request = request.replace(meta={**request.meta, **meta})
            return request
        # filtered like any request: the shared dupefilter then fetches a start URL once
        # across all workers, even when it is pushed twice or linked from another page
        return Request(text, meta=meta)

    def _busy(self) -> None:
        self._idle_since = None

    def _on_response(self, *args: Any, **kwargs: Any) -> None:
        self._busy()
        self._sync_scopes()

    def _sync_scopes(self) -> None:
        """Give the spider every start URL any worker popped (see the module doc)."""
        if not callable(self._add_scope):
            return
        if int(self.server.scard(self.seeds_key)) == self._seeds_known:
            return
        seeds = self.server.smembers(self.seeds_key)
        for seed in sorted(seeds):
            self._add_scope(seed.decode(self.encoding) if isinstance(seed, bytes) else seed)
        self._seeds_known = len(seeds)

    def spider_idle(self) -> None:
        """Schedule the next batch; keep the spider open until idle for ``max_idle``."""
        requests = self.pop_requests()
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider
        now = time.monotonic()
        if self._idle_since is None:
            self._idle_since = now
        if self.max_idle > 0 and now - self._idle_since >= self.max_idle:
            logger.info("Redis list %r empty for %gs: closing", self.key, self.max_idle)
            return
        raise DontCloseSpider
