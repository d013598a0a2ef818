"""The RejectedItemsLog extension, driven by signals sent by hand."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider, signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from pipelines.errors import GamblingPromotion
from pipelines.ledger import ItemLedger
from pipelines.model import Evidence, Reason
from pipelines.rejectlog.extension import RejectedItemsLog
from pipelines.rejectlog.writer import RejectedLogError
from pipelines.review.reader import read_records


class NewsSpider(Spider):
    name = "news"


def _crawler(tmp_path: Path, **settings: Any):
    base = {"EXTENSIONS_BASE": {},  # only ours listens to the hand-sent signals
            "SPAMSIEVE_REJECTED_LOG": str(tmp_path / "out" / "rejected.jsonl"),
            "JOBDIR": str(tmp_path / "jobs" / "crawl-42")}
    base.update(settings)
    crawler = get_crawler(NewsSpider, base)
    return crawler, RejectedItemsLog.from_crawler(crawler)


def _send(crawler, signal, **kwargs: Any) -> None:
    crawler.signals.send_catch_log(signal=signal, spider=NewsSpider(), **kwargs)


def test_drop_writes_the_original_item_from_the_ledger(tmp_path: Path) -> None:
    crawler, ext = _crawler(tmp_path)
    item = {"url": "https://bet.example.com/p/1", "title": "葡京娱乐 注册送88", "text": "原文"}
    ledger = ItemLedger.of(crawler)
    ledger.remember(item)
    item["title"] = "cleaned title"  # a stage rewrote the item in place
    exc = GamblingPromotion("page promotes gambling", reason="promotion", score=3.0,
                            reasons=[Reason("promo_terms", 3.0, [Evidence("title", 4, 6, "娱乐")])])
    _send(crawler, signals.item_dropped, item=item, response=None, exception=exc)
    _send(crawler, signals.spider_closed, reason="finished")

    [record] = read_records([ext.writer.path])
    assert record["item"]["title"] == "葡京娱乐 注册送88"  # as it came in, not as cleaned
    assert record["url"] == "https://bet.example.com/p/1"
    assert record["domain"] == "bet.example.com"
    assert (record["stage"], record["reason"], record["score"]) == ("gambling", "promotion", 3.0)
    assert record["reasons"][0]["evidence"][0]["text"] == "娱乐"
    assert record["job"] == "crawl-42" and record["spider"] == "news"
    assert ledger.original(item) is None  # forgotten
    stats = crawler.stats
    assert stats.get_value("spamsieve/rejected") == 1
    assert stats.get_value("spamsieve/rejected/gambling/promotion") == 1


def test_other_pipelines_drop_logged_with_class_and_message(tmp_path: Path) -> None:
    crawler, ext = _crawler(tmp_path)
    item = {"url": "https://shop.example.com/x", "price": None}
    _send(crawler, signals.item_dropped, item=item, response=None,
          exception=DropItem("Missing price in " + "x" * 500))
    [record] = read_records([ext.writer.path])
    assert (record["stage"], record["reason"]) == ("pipeline", "DropItem")
    assert record["exception"] == "scrapy.exceptions.DropItem"
    assert record["message"].startswith("Missing price in") and len(record["message"]) <= 200
    assert record["item"] == item  # no ledger entry: the item as dropped


def test_item_error_is_recorded_with_traceback(tmp_path: Path) -> None:
    crawler, ext = _crawler(tmp_path)
    try:
        raise ValueError("boom in pipeline")
    except ValueError as exc:
        error = exc
    _send(crawler, signals.item_error, item={"url": "https://a.cn/1"}, response=None,
          failure=error)
    [record] = read_records([ext.writer.path])
    assert (record["stage"], record["reason"]) == ("error", "ValueError")
    assert "boom in pipeline" in record["message"]
    assert any("test_item_error_is_recorded" in line for line in record["traceback"])
    assert crawler.stats.get_value("spamsieve/errors") == 1


def test_accounting_line_and_stats(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    crawler, ext = _crawler(tmp_path)
    crawler.stats.set_value("spamsieve/cleaned", 1)
    _send(crawler, signals.spider_opened)
    for i in range(3):
        _send(crawler, signals.item_scraped, item={"url": f"https://a.cn/{i}"}, response=None)
    for reason in ("promotion", "promotion", "hijacked"):
        _send(crawler, signals.item_dropped, item={"url": "https://b.cn"}, response=None,
              exception=GamblingPromotion("x", reason=reason))
    _send(crawler, signals.item_error, item={}, response=None, failure=RuntimeError("x"))
    with caplog.at_level(logging.INFO, logger="pipelines.rejectlog.extension"):
        _send(crawler, signals.spider_closed, reason="finished")
    mine = [r for r in caplog.records if r.name == "pipelines.rejectlog.extension"]
    lines = [r.getMessage() for r in mine]
    assert ("spamsieve: 7 items: 3 kept (1 cleaned), 3 rejected (gambling/promotion: 2, "
            f"gambling/hijacked: 1), 1 errors; 0 pages seen; rejected log: {ext.writer.path}") in lines
    assert not [r for r in mine if r.levelno >= logging.WARNING]
    stats = crawler.stats
    assert stats.get_value("spamsieve/job") == "crawl-42"
    assert stats.get_value("spamsieve/kept") == 3
    assert stats.get_value("spamsieve/accounting/total") == 7
    assert stats.get_value("spamsieve/accounting/balanced") == 1
    assert len(read_records([ext.writer.path])) == 4  # 3 drops + 1 error


def test_accounting_mismatch_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    crawler, _ = _crawler(tmp_path)
    ItemLedger.of(crawler).remember({"url": "https://lost.cn"})  # entered, never reported
    crawler.stats.set_value("item_scraped_count", 5)  # Scrapy saw items we did not
    with caplog.at_level(logging.INFO):
        _send(crawler, signals.spider_closed, reason="finished")
    warnings = [r.getMessage() for r in caplog.records
                if r.levelno == logging.WARNING and r.name == "pipelines.rejectlog.extension"]
    assert len(warnings) == 1
    assert "Scrapy counted 5 scraped items, spamsieve saw 0" in warnings[0]
    assert "1 items entered spamsieve but were never kept" in warnings[0]
    assert crawler.stats.get_value("spamsieve/accounting/balanced") == 0


@pytest.mark.parametrize("settings", [{"SPAMSIEVE_ENABLED": False}, {"SPAMSIEVE_REJECTED_LOG": ""}])
def test_not_configured_when_disabled(tmp_path: Path, settings: dict) -> None:
    with pytest.raises(NotConfigured, match="SPAMSIEVE_"):
        _crawler(tmp_path, **settings)


def test_unwritable_log_fails_start_up_naming_the_setting(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(RejectedLogError, match="SPAMSIEVE_REJECTED_LOG: cannot open"):
        _crawler(tmp_path, SPAMSIEVE_REJECTED_LOG=str(tmp_path / "file" / "rejected.jsonl"))


def test_generated_job_id_without_jobdir(tmp_path: Path) -> None:
    crawler, ext = _crawler(tmp_path, JOBDIR="")
    assert ext.job and ext.job != "crawl-42"
    _send(crawler, signals.spider_opened)
    assert crawler.stats.get_value("spamsieve/job") == ext.job


def test_custom_url_field_and_field_map_recorded(tmp_path: Path) -> None:
    crawler, ext = _crawler(tmp_path, SPAMSIEVE_FIELDS={"url": "link", "text": "content"})
    _send(crawler, signals.item_dropped, item={"link": "https://c.cn/9", "content": "t"},
          response=None, exception=DropItem("no"))
    [record] = read_records([ext.writer.path])
    assert record["url"] == "https://c.cn/9"
    assert record["fields"] == {"url": "link", "text": "content"}


def test_item_error_with_scrapys_failure_object(tmp_path: Path) -> None:
    """Scrapy hands item_error a twisted Failure; the record still names the exception."""
    from twisted.python.failure import Failure

    crawler, ext = _crawler(tmp_path)
    try:
        {}["missing"]
    except KeyError:
        failure = Failure()
    _send(crawler, signals.item_error, item={"url": "https://a.cn/2"}, response=None,
          failure=failure)
    [record] = read_records([ext.writer.path])
    assert (record["stage"], record["reason"], record["url"]) == ("error", "KeyError",
                                                                  "https://a.cn/2")
    assert record["traceback"][-1].startswith("KeyError")


def test_ledger_notes_keep_the_verdict_not_the_document_copy(tmp_path: Path) -> None:
    from pipelines.model import Document, Verdict

    crawler, ext = _crawler(tmp_path)
    item = {"url": "https://a.cn/n", "text": "正文" * 100}
    ledger = ItemLedger.of(crawler)
    ledger.remember(item)
    ledger.note(item, document=Document(text="正文" * 100),
                verdict=Verdict("rejected", 2.0, [Reason("promo_terms", 2.0)]))
    _send(crawler, signals.item_dropped, item=item, response=None,
          exception=GamblingPromotion("x", reason="promotion", score=2.0))
    [record] = read_records([ext.writer.path])
    assert record["notes"] == {"verdict": {"verdict": "rejected", "score": 2.0, "reasons": [
        {"name": "promo_terms", "score": 2.0, "evidence": []}], "actions": []}}
    assert ledger.notes_for(item) == {}


def test_a_detection_rejection_writes_its_reasons_once(tmp_path: Path) -> None:
    """The verdict that rejected the item is in the record once: its reasons at the top
    level, the verdict note without them (they used to be written twice)."""
    from pipelines.detect import rejection
    from pipelines.model import Evidence, Verdict

    crawler, ext = _crawler(tmp_path)
    item = {"url": "https://a.cn/r", "text": "正文" * 100}
    ledger = ItemLedger.of(crawler)
    ledger.remember(item)
    verdict = Verdict("rejected", 2.5, [Reason("title_stuffing", 2.5, [
        Evidence("title", 0, 3, "乐乐彩", note="brand in title")])], family="hijacked")
    ledger.note(item, verdict=verdict)
    _send(crawler, signals.item_dropped, item=item, response=None,
          exception=rejection(verdict, item["url"]))
    [record] = read_records([ext.writer.path])
    assert record["reasons"] == [{"name": "title_stuffing", "score": 2.5, "evidence": [
        {"field": "title", "start": 0, "end": 3, "text": "乐乐彩", "note": "brand in title"}]}]
    assert record["notes"] == {"verdict": {"verdict": "rejected", "score": 2.5, "actions": []}}
