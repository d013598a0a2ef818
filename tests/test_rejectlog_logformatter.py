"""Short Dropped lines: stage/reason, url and a short message, never the item."""

from __future__ import annotations

import logging

from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from pipelines.errors import HijackedPage
from pipelines.logformatter import SpamSieveLogFormatter

BODY = "正文" * 5000


def _formatter(**settings):
    crawler = get_crawler(Spider, {"LOG_FORMATTER": "pipelines.logformatter.SpamSieveLogFormatter",
                                   **settings})
    assert isinstance(crawler.logformatter, SpamSieveLogFormatter)
    return crawler.logformatter


def _line(result: dict) -> str:
    return result["msg"] % result["args"]


def test_spamsieve_drop_is_one_short_line_at_the_configured_level() -> None:
    formatter = _formatter(SPAMSIEVE_DROP_LOG_LEVEL="DEBUG")
    item = {"url": "https://a.cn/1", "text": BODY}
    exc = HijackedPage("gambling brand replaced the title", reason="hijacked",
                       url="https://a.cn/1")
    result = formatter.dropped(item, exc, None, Spider("s"))
    assert _line(result) == "Dropped: gambling/hijacked https://a.cn/1 (gambling brand replaced the title)"
    assert result["level"] == logging.DEBUG


def test_exception_log_level_wins() -> None:
    exc = HijackedPage("x", reason="hijacked", log_level="ERROR")
    assert _formatter().dropped({}, exc, None, Spider("s"))["level"] == logging.ERROR


def test_other_drop_truncated_with_item_url() -> None:
    formatter = _formatter()
    result = formatter.dropped({"url": "https://shop.cn/p", "text": BODY},
                               DropItem("bad " + "x" * 1000), None, Spider("s"))
    line = _line(result)
    assert line.startswith("Dropped: DropItem https://shop.cn/p (bad xxx")
    assert len(line) < 260 and "正文" not in line
    assert result["level"] == logging.WARNING  # Scrapy's DEFAULT_DROPITEM_LOG_LEVEL
    long_url = "https://a.cn/" + "p" * 2000
    line = _line(formatter.dropped({"url": long_url}, DropItem("n"), None, Spider("s")))
    assert line.startswith("Dropped: DropItem https://a.cn/ppp") and len(line) < 200


def test_custom_url_field_and_no_url() -> None:
    formatter = _formatter(SPAMSIEVE_FIELDS={"url": "link"})
    assert "https://x.cn/" in _line(formatter.dropped({"link": "https://x.cn/"}, DropItem("n"),
                                                      None, Spider("s")))
    assert _line(formatter.dropped({"text": BODY}, DropItem("n"), None, Spider("s"))) == \
        "Dropped: DropItem (n)"


def test_item_error_line_has_no_item() -> None:
    result = _formatter().item_error({"url": "https://a.cn/", "text": BODY},
                                     ValueError("boom"), None, Spider("s"))
    assert _line(result) == "Error processing https://a.cn/ (ValueError: boom)"
