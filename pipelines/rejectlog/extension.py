"""Scrapy extension that writes every dropped or errored item to the rejected-items log.

It listens to signals rather than being a pipeline so it also sees drops raised by other
projects' pipelines and items that crash a pipeline: every item a crawl produces ends up
either kept (``item_scraped``) or as a record a person can review and restore. At close it
logs one accounting line and warns when the counts do not add up.

Stats written (all under ``spamsieve/``):

* ``job`` — the crawl job id stamped on every record;
* ``kept`` — items that left the pipelines (``item_scraped``);
* ``rejected`` and ``rejected/<stage>/<reason>`` — drop records written;
* ``errors`` — item_error records written;
* ``rejected_log/write_failures`` — records that could not be written (each is then
  logged in full at ERROR level, so it is still not lost);
* ``accounting/scraped``, ``accounting/dropped``, ``accounting/errors``,
  ``accounting/total`` — signal counts seen by this extension;
  ``accounting/unaccounted`` — items still in the ledger at close (entered spamsieve
  but never reported); ``accounting/balanced`` — 1 when the counts agree with Scrapy's
  own ``item_scraped_count``/``item_dropped_count`` and nothing is unaccounted, else 0.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from pipelines.fields import FieldMap, FieldMapError
from pipelines.ledger import ItemLedger
from pipelines.rejectlog.records import STAGE_ERROR, build_record
from pipelines.rejectlog.writer import RejectedLogError, RejectedLogWriter

logger = logging.getLogger(__name__)

PREFIX = "spamsieve/"


class RejectedItemsLog:
    """Writes rejected-log records from ``item_dropped``/``item_error`` signals."""

    def __init__(self, crawler: Any, writer: RejectedLogWriter, job: str,
                 fields: FieldMap) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.writer = writer
        self.job = job
        self.fields = fields
        self.ledger = ItemLedger.of(crawler)
        self.ledger.managed_by_log = True
        self.scraped = 0
        self.dropped = 0
        self.errors = 0
        self.reasons: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Any) -> RejectedItemsLog:
        settings = crawler.settings
        if not settings.getbool("SPAMSIEVE_ENABLED", True):
            raise NotConfigured("spamsieve rejected-items log: SPAMSIEVE_ENABLED is false")
        path = (settings.get("SPAMSIEVE_REJECTED_LOG") or "").strip()
        if not path:
            raise NotConfigured("spamsieve rejected-items log: SPAMSIEVE_REJECTED_LOG is empty "
                                "(rejected items will only appear in the Scrapy log)")
        try:
            writer = RejectedLogWriter(
                path,
                max_bytes=settings.getint("SPAMSIEVE_REJECTED_LOG_MAX_BYTES", 0),
                backups=settings.getint("SPAMSIEVE_REJECTED_LOG_BACKUPS", 5),
            )
        except RejectedLogError as exc:
            raise RejectedLogError(exc.errno, f"SPAMSIEVE_REJECTED_LOG: {exc.strerror}") from exc
        try:
            fields = FieldMap.from_value(settings.get("SPAMSIEVE_FIELDS"))
        except FieldMapError:
            fields = FieldMap({})  # the config validator reports it; logging must go on
        ext = cls(crawler, writer, job_id(settings), fields)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.item_error, signal=signals.item_error)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    # -- signal handlers ----------------------------------------------------------------

    def spider_opened(self, spider: Any = None) -> None:
        self.stats.set_value(PREFIX + "job", self.job)

    def item_scraped(self, item: Any, response: Any = None, spider: Any = None) -> None:
        self.scraped += 1
        self.stats.inc_value(PREFIX + "kept")
        self.ledger.forget(item)

    def item_dropped(self, item: Any, response: Any = None, exception: BaseException | None = None,
                     spider: Any = None) -> None:
        self.dropped += 1
        record = self._record(item, response, spider, exception, stage=None)
        self.reasons[f"{record['stage']}/{record['reason']}"] += 1
        self.stats.inc_value(PREFIX + "rejected")
        self.stats.inc_value(f"{PREFIX}rejected/{record['stage']}/{record['reason']}")
        self._write(record)

    def item_error(self, item: Any, response: Any = None, spider: Any = None,
                   failure: Any = None) -> None:
        self.errors += 1
        exception, tb = _unwrap_failure(failure)
        record = self._record(item, response, spider, exception, stage=STAGE_ERROR,
                              traceback_obj=tb)
        self.stats.inc_value(PREFIX + "errors")
        self._write(record)

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        try:
            self._account()
        finally:
            self.writer.close()

    # -- helpers ------------------------------------------------------------------------

    def _record(self, item: Any, response: Any, spider: Any, exception: BaseException | None,
                *, stage: str | None, traceback_obj: Any = None) -> dict[str, Any]:
        snapshot = self.ledger.original(item)
        notes = self.ledger.notes_for(item)
        if snapshot is None:
            snapshot = _as_dict(item)
        self.ledger.forget(item)
        return build_record(
            item_snapshot=snapshot,
            exception=exception,
            spider=self._spider_name(spider),
            job=self.job,
            url=self._url(item, snapshot, response, exception),
            stage=stage,
            fields_map=dict(self.fields.mapping),
            traceback_obj=traceback_obj,
            notes=_plain_notes(notes, getattr(exception, "reasons", None)),
        )

    def _write(self, record: dict[str, Any]) -> None:
        try:
            self.writer.write(record)
        except (OSError, ValueError) as exc:
            self.stats.inc_value(PREFIX + "rejected_log/write_failures")
            logger.error("spamsieve: could not write to rejected log %s (%s); the record "
                         "follows so the item is not lost: %s", self.writer.path, exc,
                         json.dumps(record, ensure_ascii=False))

    def _url(self, item: Any, snapshot: dict[str, Any], response: Any,
             exception: BaseException | None) -> str:
        """The page URL: the item's own url field as it came in (so ``record["url"]`` and
        ``record["item"]`` agree), else the drop's url, else the response's."""
        value = snapshot.get(self.fields.name("url"))
        if not (isinstance(value, str) and value):
            try:
                value = ItemAdapter(item).get(self.fields.name("url"))
            except TypeError:
                value = None
        if isinstance(value, str) and value:
            return value
        return getattr(exception, "url", "") or getattr(response, "url", "") or ""

    def _spider_name(self, spider: Any) -> str:
        spider = spider or getattr(self.crawler, "spider", None)
        name = getattr(spider, "name", None) or getattr(self.crawler.spidercls, "name", "")
        return str(name or "")

    def _account(self) -> None:
        total = self.scraped + self.dropped + self.errors
        unaccounted = len(self.ledger)
        cleaned = int(self.stats.get_value(PREFIX + "cleaned", 0) or 0)
        for key, value in (("scraped", self.scraped), ("dropped", self.dropped),
                           ("errors", self.errors), ("total", total),
                           ("unaccounted", unaccounted)):
            self.stats.set_value(f"{PREFIX}accounting/{key}", value)
        reasons = ", ".join(f"{name}: {n}" for name, n in self.reasons.most_common())
        pages = int(self.stats.get_value("response_received_count", 0) or 0)
        logger.info(
            "spamsieve: %d items: %d kept (%d cleaned), %d rejected%s, %d errors; "
            "%d pages seen; rejected log: %s", total, self.scraped, cleaned, self.dropped,
            f" ({reasons})" if reasons else "", self.errors, pages, self.writer.path,
        )
        problems = []
        scrapy_scraped = self.stats.get_value("item_scraped_count")
        scrapy_dropped = self.stats.get_value("item_dropped_count")
        if scrapy_scraped is not None and scrapy_scraped != self.scraped:
            problems.append(f"Scrapy counted {scrapy_scraped} scraped items, spamsieve "
                            f"saw {self.scraped}")
        if scrapy_dropped is not None and scrapy_dropped != self.dropped:
            problems.append(f"Scrapy counted {scrapy_dropped} dropped items, spamsieve "
                            f"saw {self.dropped}")
        if unaccounted:
            problems.append(f"{unaccounted} items entered spamsieve but were never kept, "
                            f"dropped or errored")
        self.stats.set_value(PREFIX + "accounting/balanced", 0 if problems else 1)
        if problems:
            logger.warning("spamsieve: item accounting does not add up: %s",
                           "; ".join(problems))


def job_id(settings: Any) -> str:
    """JOBDIR's basename (a resumable crawl keeps its id), else a new timestamped id."""
    jobdir = (settings.get("JOBDIR") or "").strip()
    if jobdir:
        name = Path(jobdir.rstrip("/\\")).name
        if name:
            return name
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def _as_dict(item: Any) -> dict[str, Any]:
    try:
        return ItemAdapter(item).asdict()
    except Exception:  # not an item type itemadapter knows
        return {"value": repr(item)[:10_000]}


def _plain_notes(notes: dict[str, Any], record_reasons: Any = None) -> dict[str, Any] | None:
    """The ledger notes worth keeping in a record: objects with ``to_dict`` (the verdict)
    and short plain values. Others (the parsed ``document`` copy of the item's text) are
    left out: the item itself is already in the record.

    A verdict whose reasons are the very list the drop carries (detection rejected the
    item) is kept without them: they are the record's own ``reasons`` already, and
    writing every signal and its evidence twice doubled each such record and its cost.
    A verdict that did not cause the drop (an item cleaned, then found a duplicate) keeps
    its reasons: they say what cleaning did and appear nowhere else.
    """
    out: dict[str, Any] = {}
    for key, value in (notes or {}).items():
        to_dict = getattr(value, "to_dict", None)
        if callable(to_dict):
            try:
                if record_reasons is not None and getattr(value, "reasons", None) is record_reasons:
                    plain = to_dict(reasons=False)
                else:
                    plain = to_dict()
            except Exception:  # a note must never cost the record
                continue
            out[str(key)] = plain
        elif value is None or isinstance(value, (bool, int, float)) or (
                isinstance(value, str) and len(value) <= 1000):
            out[str(key)] = value
    return out or None


def _unwrap_failure(failure: Any) -> tuple[BaseException | None, Any]:
    """The exception and traceback inside what item_error hands over (a Failure or an
    exception), read by duck typing so no Twisted API is imported."""
    if failure is None:
        return None, None
    exception = getattr(failure, "value", None)  # a Failure (itself a BaseException today)
    if not isinstance(exception, BaseException):
        if isinstance(failure, BaseException):
            return failure, failure.__traceback__
        return None, None
    tb = getattr(exception, "__traceback__", None)
    if tb is None:
        get_tb = getattr(failure, "getTracebackObject", None)
        try:
            tb = get_tb() if callable(get_tb) else None
        except Exception:
            tb = None
    return exception, tb
