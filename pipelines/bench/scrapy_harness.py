"""Drive spamsieve's *Scrapy* pipelines and rejected-items log in-process, item by item.

Why: a real crawl cannot be fed arbitrary broken items (the spider decides what it
yields), and a fuzz run of 10,000 items through ``scrapy crawl`` would mostly measure
HTTP. This harness builds a crawler with ``scrapy.utils.test.get_crawler`` and the
add-on's settings, instantiates the very pipeline classes the add-on registers (in their
``ITEM_PIPELINES`` order) and the ``RejectedItemsLog`` extension, and then does for each
item what Scrapy's scraper does: run ``process_item`` through the chain and send
``item_scraped`` / ``item_dropped`` / ``item_error``. Failures inside signal handlers
(which Scrapy only logs) are collected too, so a caller can assert none happened.
"""

from __future__ import annotations

import asyncio
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

ADDON = {"pipelines.SpamSieveAddon": 100}


class FuzzSpider(Spider):
    name = "fuzz"


@dataclass
class Result:
    """What happened to one item: ``kept``, ``dropped`` or ``error`` (+ the exception)."""

    status: str
    exception: BaseException | None = None
    item: Any = None

    @property
    def label(self) -> str:
        """``kept`` or ``<stage>/<reason>`` (``error/<ExceptionClass>`` for item_error)."""
        exc = self.exception
        if self.status == "kept":
            return "kept"
        if self.status == "error":
            return f"error/{type(exc).__name__}"
        stage = getattr(exc, "stage", "pipeline")
        return f"{stage}/{getattr(exc, 'reason', type(exc).__name__)}"


@dataclass
class ScrapyChain:
    """The add-on's pipelines + rejected log, fed by hand (see module doc)."""

    workdir: Path
    settings: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        base: dict[str, Any] = {
            "ADDONS": ADDON,
            "SPAMSIEVE_REJECTED_LOG": str(self.workdir / "rejected.jsonl"),
            "SPAMSIEVE_ALLOWLIST_FILE": str(self.workdir / "allowlist.txt"),
            "LOG_LEVEL": "ERROR",
            # only spamsieve's extension: the others need a running engine/reactor
            "EXTENSIONS_BASE": {},
        }
        base.update(self.settings)
        self.crawler = get_crawler(FuzzSpider, base)
        self.spider = FuzzSpider()
        self.crawler.spider = self.spider
        self.pipelines = self._build_pipelines()
        # get_crawler already built the extensions the add-on registered
        self.rejected_log = next(
            (e for e in self.crawler.extensions.middlewares
             if type(e).__name__ == "RejectedItemsLog"), None)
        self.signal_failures: list[Failure] = []
        self.loop = asyncio.new_event_loop()
        for pipeline in self.pipelines:
            if hasattr(pipeline, "open_spider"):
                self._await(pipeline.open_spider())
        self._send(signals.spider_opened)

    def _build_pipelines(self) -> list[Any]:
        configured = self.crawler.settings.getwithbase("ITEM_PIPELINES")
        pipelines = []
        for path, _order in sorted(configured.items(), key=lambda kv: kv[1]):
            if _order is None:
                continue
            try:
                pipelines.append(build_from_crawler(load_object(path), self.crawler))
            except NotConfigured:
                continue
        return pipelines

    @property
    def pipeline_names(self) -> list[str]:
        return [type(p).__name__ for p in self.pipelines]

    def _await(self, value: Any) -> Any:
        if inspect.isawaitable(value):
            return self.loop.run_until_complete(_as_coro(value))
        return value

    def _send(self, signal: Any, **kwargs: Any) -> None:
        results = self.crawler.signals.send_catch_log(signal=signal, spider=self.spider, **kwargs)
        self.signal_failures.extend(r for _, r in results if isinstance(r, Failure))

    def process(self, item: Any) -> Result:
        """Run ``item`` through the pipelines and send the signal Scrapy would send."""
        try:
            for pipeline in self.pipelines:
                item = self._await(pipeline.process_item(item))
        except DropItem as exc:
            self._send(signals.item_dropped, item=item, response=None, exception=exc)
            return Result("dropped", exc, item)
        except Exception as exc:  # what Scrapy turns into item_error
            self._send(signals.item_error, item=item, response=None, failure=Failure(exc))
            return Result("error", exc, item)
        self._send(signals.item_scraped, item=item, response=None)
        return Result("kept", None, item)

    def close(self) -> None:
        self._send(signals.spider_closed, reason="finished")
        for pipeline in reversed(self.pipelines):
            if hasattr(pipeline, "close_spider"):
                self._await(pipeline.close_spider())
        self.loop.close()

    @property
    def stats(self) -> dict[str, Any]:
        return self.crawler.stats.get_stats()


async def _as_coro(awaitable: Any) -> Any:
    return await awaitable
