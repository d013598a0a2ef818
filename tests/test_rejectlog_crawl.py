"""A real `scrapy runspider` crawl: every item ends up kept or in the rejected log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipelines.review.reader import read_records

ROOT = Path(__file__).resolve().parents[1]

SPIDER = textwrap.dedent('''
    import scrapy
    from scrapy.exceptions import DropItem

    from pipelines.errors import GamblingPromotion
    from pipelines.ledger import ItemLedger


    class Remember:
        """Stands in for spamsieve's first stage: snapshot, then rewrite in place."""

        @classmethod
        def from_crawler(cls, crawler):
            obj = cls()
            obj.ledger = ItemLedger.of(crawler)
            return obj

        def process_item(self, item):
            self.ledger.remember(item)
            item["title"] = "rewritten"
            n = item["n"]
            if n % 5 == 1:
                raise GamblingPromotion("promotes gambling", reason="promotion", score=2.0)
            if n % 5 == 2:
                raise DropItem("other pipeline says no " + "x" * 400)
            if n % 5 == 3:
                raise ValueError("pipeline crashed")
            return item


    class Items(scrapy.Spider):
        name = "items"
        start_urls = ["data:,hello"]
        custom_settings = {"ITEM_PIPELINES": {Remember: 100}}

        def parse(self, response):
            for n in range(10):
                yield {"url": f"https://site{n}.cn/a", "n": n, "title": "原标题", "text": "正文" * 2000}
''')


@pytest.mark.crawl
def test_crawl_accounts_for_every_item(tmp_path: Path) -> None:
    (tmp_path / "spider.py").write_text(SPIDER, encoding="utf-8")
    log = tmp_path / "out" / "rejected.jsonl.gz"
    kept = tmp_path / "kept.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "runspider", "spider.py", "-o", f"{kept}:jsonlines",
         "-s", "EXTENSIONS={\"pipelines.rejectlog.extension.RejectedItemsLog\": 0}",
         "-s", "LOG_FORMATTER=pipelines.logformatter.SpamSieveLogFormatter",
         "-s", f"SPAMSIEVE_REJECTED_LOG={log}", "-s", "TELNETCONSOLE_ENABLED=0", "-s", "LOG_LEVEL=INFO"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    stderr = result.stderr
    kept_items = [json.loads(line) for line in kept.read_text("utf-8").splitlines()]
    records = read_records([log])
    assert len(kept_items) + len(records) == 10
    assert sorted([i["n"] for i in kept_items] + [r["item"]["n"] for r in records]) == list(range(10))
    by_stage = sorted((r["stage"], r["reason"]) for r in records)
    assert by_stage == [("error", "ValueError")] * 2 + [("gambling", "promotion")] * 2 + [
        ("pipeline", "DropItem")] * 2
    assert all(r["item"]["title"] == "原标题" for r in records)  # original, not rewritten
    assert ("spamsieve: 10 items: 4 kept (0 cleaned), 4 rejected (gambling/promotion: 2, "
            "pipeline/DropItem: 2), 2 errors; ") in stderr
    assert "accounting does not add up" not in stderr
    assert "Dropped: gambling/promotion https://site1.cn/a (promotes gambling)" in stderr
    assert "正文正文" not in stderr  # never the item body in the log
