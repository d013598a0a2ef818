"""Nothing from a crawled page is ever executed, and nothing from it reaches the HTML report
as markup; paths in settings go where they point and symlinks planted in the state
directory are not followed.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from crawl_helpers import REPO, run_crawl

from pipelines.bench.scrapy_harness import ScrapyChain
from pipelines.bench.synthetic import generate
from pipelines.dedupe.store import FingerprintStore, StateDirError
from pipelines.rejectlog.writer import RejectedLogWriter
from pipelines.review.report_html import JS

ENV = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
DANGEROUS = re.compile(
    r"\beval\(|\bexec\(|\bpickle\b|\bmarshal\b|yaml\.load\(|shell\s*=\s*True|os\.system\(|"
    r"os\.popen\(|\bcompile\([^)]*['\"]exec['\"]|Template\(|\.format_map\("
)


def payloads(canary: Path) -> list[str]:
    c = str(canary)
    return [
        "{{7*7}}", "${7*7}", "#{7*7}", "<%= 7*7 %>", "{{config.__class__.__init__.__globals__}}",
        f"__import__('os').system('touch {c}')", f"eval(\"open('{c}','w')\")",
        f"<script>fetch('file://{c}')</script>", "<img src=x onerror=alert(1)>",
        f"<?php system('touch {c}'); ?>", f"$(touch {c})", f"`touch {c}`", "%(x)s %s %n",
        "{0.__class__.__mro__}", "'; DROP TABLE fingerprints; --", "\x00\x1b[31mred",
    ]


def test_no_dynamic_execution_in_the_code() -> None:
    """No eval/exec/pickle/yaml.load/shell=True/os.system anywhere a page could reach."""
    hits = []
    for root in ("pipelines", "crawler", "settings"):
        for path in (REPO / root).rglob("*.py"):
            for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
                if DANGEROUS.search(line) and not line.lstrip().startswith("#"):
                    hits.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert hits == []


def integrity_and_keys(state: Path) -> set[str]:
    db = sqlite3.connect(state / "fingerprints.sqlite")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in db.execute("SELECT key FROM fingerprints")}
    finally:
        db.close()


def test_injection_payloads_are_inert_text_through_pipelines_and_filter(tmp_path: Path) -> None:
    canary = tmp_path / "CANARY"
    marks = payloads(canary)
    articles = generate(len(marks), seed=77, polluted_share=0.0, duplicate_share=0.0)
    items = []
    for number, (payload, article) in enumerate(zip(marks, articles, strict=True)):
        items.append({"url": f"http://news.example.com/{number}?q={payload}",
                      "title": f"{article['title']} {payload}",
                      "text": f"{payload}\n{article['text']}\n{payload}",
                      "html": f"<html><body><p>{payload}</p></body></html>"})
    chain = ScrapyChain(tmp_path / "scrapy", {"SPAMSIEVE_STATE_DIR": str(tmp_path / "state1")})
    results = [chain.process(dict(item)) for item in items]
    chain.close()
    assert all(r.status != "error" for r in results)
    assert sum(r.status == "kept" for r in results) >= len(items) // 2
    for item, result in zip(items, results, strict=True):
        if result.status == "kept":  # the payload is kept verbatim, never evaluated
            assert result.item["text"] == item["text"]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "filter", str(source),
                           "--kept", str(tmp_path / "kept.jsonl"),
                           "--rejected", str(tmp_path / "rejected.jsonl"),
                           "--state", str(tmp_path / "state2"),
                           "-s", f"SPAMSIEVE_ALLOWLIST_FILE={tmp_path / 'allow.txt'}"],
                          cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    kept = [json.loads(line) for line in (tmp_path / "kept.jsonl").open(encoding="utf-8")]
    assert any(row["text"].startswith("{{7*7}}\n") for row in kept)
    assert not any(row["text"].startswith("49") for row in kept)
    assert not canary.exists()
    for state in ("state1", "state2"):  # SQL in URLs stayed data
        keys = integrity_and_keys(tmp_path / state)
        assert any("DROP TABLE" in key for key in keys), state


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.tags: list[str] = []
        self.handlers: list[tuple[str, str, str | None]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")
        for name, value in attrs:
            if name.lower().startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.handlers.append((tag, name, value))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def test_html_report_escapes_all_page_content(tmp_path: Path) -> None:
    xss = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>',
           '"><svg onload=alert(1)>', "javascript:alert(1)", "</pre></details><script>x()</script>",
           "<iframe src=//evil></iframe>"]
    hostile = " ".join(xss)
    log = tmp_path / "rejected.jsonl"
    with RejectedLogWriter(log) as writer:
        for number, payload in enumerate(xss):
            writer.write({
                "schema": 1, "id": f"id{number}<b>", "time": "2026-01-01T00:00:00Z",
                "job": payload, "spider": payload, "url": f"http://x.example/{payload}",
                "domain": payload, "stage": payload, "reason": payload, "message": payload,
                "score": 1.5, "duplicate_of": payload, "distance": 3, "exception": payload,
                "traceback": [payload],
                "reasons": [{"name": payload, "score": 1.0, "evidence": [
                    {"field": "text", "start": 0, "end": len(payload), "text": payload},
                    {"field": "title", "text": payload, "note": payload, "value": payload}]}],
                "item": {"url": f"http://x.example/{payload}", "title": hostile,
                         "text": f"{payload}\n{hostile}"},
            })
    out = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "review", "report", str(log),
                           "--html", str(out), "--title", "<script>alert('title')</script>"],
                          cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    page = out.read_text("utf-8")
    audit = _Audit()
    audit.feed(page)
    assert audit.scripts == [JS], "a script element other than the report's own"
    assert audit.handlers == []
    assert not {"img", "iframe"} & set(audit.tags)
    assert "<svg onload" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text


def test_rejected_log_path_with_dotdot_writes_where_it_points(tmp_path: Path) -> None:
    """``..`` in SPAMSIEVE_REJECTED_LOG is an ordinary relative path of the operator's
    choosing: the log lands exactly there (resolved against the working directory) and
    the crawl's summary line names it."""
    result = run_crawl(tmp_path / "work", settings={
        "SPAMSIEVE_REJECTED_LOG": "sub/../logs/rejected.jsonl"})
    assert result.returncode == 0, result.log[-2000:]
    target = tmp_path / "work" / "logs" / "rejected.jsonl"
    assert target.exists() and target.stat().st_size > 0
    assert not (tmp_path / "work" / "output" / "rejected.jsonl").exists()
    assert "rejected log: sub/../logs/rejected.jsonl" in result.log


@pytest.mark.parametrize("planted", ["state.lock", "fingerprints.sqlite", "fingerprints.sqlite-wal",
                                     "dangling:fingerprints.sqlite"])
def test_state_dir_does_not_follow_planted_symlinks(tmp_path: Path, planted: str) -> None:
    """A symlink planted in the state directory (e.g. a shared /tmp path) must not make
    spamsieve truncate the file it points to (the lock file is rewritten with the pid) or
    create its database somewhere else."""
    state, elsewhere = tmp_path / "state", tmp_path / "elsewhere"
    state.mkdir()
    elsewhere.mkdir()
    victim = elsewhere / "victim.txt"
    victim.write_text("precious", "utf-8")
    dangling, _, name = planted.rpartition(":")
    (state / name).symlink_to(elsewhere / "created.sqlite" if dangling else victim)
    with pytest.raises(StateDirError, match="symbolic link"):
        FingerprintStore(state)
    assert victim.read_text("utf-8") == "precious"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["victim.txt"]
    (state / name).unlink()
    FingerprintStore(state).close()  # usable once the link is gone
