"""An unreachable shared dedupe backend never lets a copy through unchecked."""

from __future__ import annotations

import socket

import pytest
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from pipelines.dedupe.pipeline import DedupePipeline
from pipelines.errors import DedupeUnavailable

pytest.importorskip("redis")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_redis_rejects_items_as_errors_instead_of_keeping_them() -> None:
    crawler = get_crawler(settings_dict={
        "SPAMSIEVE_DEDUPE_BACKEND": "redis",
        "SPAMSIEVE_REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
        "SPAMSIEVE_REDIS_ON_ERROR": "stop",
    })
    crawler.stats.open_spider()
    pipeline = build_from_crawler(DedupePipeline, crawler)
    pipeline.open_spider()
    item = {"url": "http://a.example/1", "text": "正文" * 200}
    with pytest.raises(DedupeUnavailable) as caught:
        pipeline.process_item(item)
    record = caught.value.record_fields()
    assert record["stage"] == "error" and record["reason"] == "dedupe_unavailable"
    assert "SPAMSIEVE_REDIS_URL" in record["message"] or "redis" in record["message"].lower()
    assert crawler.stats.get_value("spamsieve/dedupe/backend_error")
    pipeline.close_spider()
