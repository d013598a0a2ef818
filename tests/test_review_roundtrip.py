"""Review round trip: a crawl's rejections, restored and allowlisted, come back unchanged.

A reviewer who decides that rejected pages were false positives restores them and adds
them to the allowlist; re-running the chain over the restored items must then keep them
exactly as they were crawled.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.crawl_helpers import REPO, read_jsonl, run_crawl

pytestmark = pytest.mark.crawl


def spamsieve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_restore_allow_and_refilter_gives_back_the_same_items(tmp_path) -> None:
    crawl = run_crawl(tmp_path / "crawl")
    assert crawl.returncode == 0, crawl.log[-2000:]
    log = tmp_path / "crawl" / "output" / "rejected.jsonl"
    gambling = [r for r in crawl.rejected if r["stage"] == "gambling"]
    assert gambling

    restored = tmp_path / "restored.jsonl"
    proc = spamsieve("review", "restore", str(log), "--stage", "gambling", "-o", str(restored))
    assert proc.returncode == 0, proc.stderr
    items = read_jsonl(restored)
    assert items == [r["item"] for r in gambling]  # exactly the items as they came in

    allowlist = tmp_path / "allowlist.txt"
    for item in items:
        proc = spamsieve("review", "allow", "--url", f"^{re.escape(item['url'])}$",
                         "--file", str(allowlist))
        assert proc.returncode == 0, proc.stderr

    kept, rejected = tmp_path / "kept.jsonl", tmp_path / "rejected.jsonl"
    proc = spamsieve("filter", str(restored), "--kept", str(kept), "--rejected", str(rejected),
                     "--set", f"SPAMSIEVE_ALLOWLIST_FILE={allowlist}", "--disable", "dedupe")
    assert proc.returncode == 0, proc.stderr
    assert read_jsonl(rejected) == []
    again = read_jsonl(kept)
    assert [i["spamsieve"]["verdict"] for i in again] == ["clean"] * len(items)
    strip = lambda item: {k: v for k, v in item.items() if k != "spamsieve"}  # noqa: E731
    assert [strip(i) for i in again] == [strip(i) for i in items]
    assert json.dumps(again, ensure_ascii=False)  # still exportable
