"""The HTML review report in a real headless browser (Debian's chromium).

Skipped with a message when no chromium binary is installed; CI installs it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.errors import HijackedPage
from pipelines.model import Evidence, Reason
from pipelines.rejectlog.records import build_record

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed "
                                "(apt-get install chromium; .ci/run does)")

PAYLOAD_TITLE = "<script>document.title='pwned'</script>乐乐彩_乐乐彩"
PAYLOAD_TEXT = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">乐乐彩\n正文"


def make_log(path: Path) -> list[str]:
    records = []
    for number in range(3):
        exc = HijackedPage(
            "gambling/header_mismatch: hijacked page", reason="header_mismatch",
            reasons=[Reason("header_mismatch", 1.2, [Evidence("title", 0, 3, "乐乐彩")])],
            score=1.2, url=f"http://x{number}.example/a.html",
        )
        item = {"url": f"http://x{number}.example/a.html", "title": PAYLOAD_TITLE,
                "text": PAYLOAD_TEXT}
        records.append(build_record(item_snapshot=item, exception=exc, spider="articles",
                                    job="job1", url=item["url"]))
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return [r["id"] for r in records]


def chromium(*args: str) -> str:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--user-data-dir=/tmp/spamsieve-chromium", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=90).stdout


def test_report_opens_in_a_browser_and_shows_every_record_inertly(tmp_path) -> None:
    log = tmp_path / "rejected.jsonl"
    ids = make_log(log)
    report = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "review", "report", str(log),
                           "--html", str(report)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    dom = chromium("--dump-dom", report.resolve().as_uri())
    assert "<details" in dom
    for record_id in ids:
        assert record_id in dom
    assert "<title>pwned" not in dom and "data-pwned" not in dom.split("&lt;img")[0]
    assert 'data-pwned="1"' not in dom
    assert "&lt;script&gt;document.title" in dom  # shown as text, not run
    chromium(f"--screenshot={tmp_path / 'report.png'}", "--window-size=1200,900",
             report.resolve().as_uri())
    assert (tmp_path / "report.png").stat().st_size > 5000
