"""A real crawl killed with SIGKILL midway, then resumed: nothing lost, nothing kept twice.

What Scrapy's JOBDIR does and does not guarantee after SIGKILL (checked here, not assumed):
the request queue state (``requests.queue/active.json``) is written only at a clean close
and ``requests.seen`` is a buffered file, so a killed JOBDIR can neither resume its queue
nor reliably remember what it scheduled. The resumed run (same JOBDIR) therefore starts
from the start URL again; pages whose request fingerprints did reach ``requests.seen``
but were never processed are *never re-requested* by Scrapy — a JOBDIR limitation, not
spamsieve's. A third run with a fresh JOBDIR and the same SPAMSIEVE_STATE_DIR (the
recovery procedure) re-crawls everything, and the dedupe state makes that safe.

"Accounts for every page" is checked in that precise sense:

* after run 2, every page is kept in run 1 or 2, in the rejected log, or was lost by
  JOBDIR (its fingerprint is in run 1's ``requests.seen``) — nothing else;
* after run 3, every page is kept in some run or in the rejected log;
* no page is kept twice: the only allowed exception is the single item whose feed line
  was written in the instant before the kill, before its fingerprint was committed (the
  feed and the SQLite state cannot be written atomically together); pages kept in run 1
  and crawled again come back as ``duplicate/near_duplicate`` rejections whose
  ``duplicate_of`` is their own URL — acceptable, and counted;
* no article kept in a later run is a near duplicate (within the dedupe distance) of one
  kept in an earlier run: the killed run's dedupe state survived;
* no fingerprint committed by the killed run lacks its feed line (no silent loss);
* the state database passes ``PRAGMA integrity_check`` and ``spamsieve review`` reads the
  rejected log (appended by all runs) without error; every feed line is whole JSON, except
  possibly the one line (feed or log) the kernel was writing when the process was killed.

The project's feed is ``output/kept.jsonl`` with ``overwrite: True``: a resumed crawl
truncates it, so the test moves each run's feed aside before the next run.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from crawl_helpers import REPO, read_jsonl
from scrapy import Request
from scrapy.dupefilters import _read_fingerprints  # the format of requests.seen
from scrapy.utils.request import fingerprint

from pipelines.bench.synthetic import generate, write_html_site
from pipelines.dedupe.fingerprint import Fingerprinter, hamming
from pipelines.defaults import DEFAULTS
from pipelines.rejectlog.writer import RejectedLogWriter
from pipelines.review.reader import LogReader

PAGES = 300
KILL_AFTER = 60  # outcomes (feed lines + rejected records) written before SIGKILL
ENV = dict(os.environ, SCRAPY_SETTINGS_MODULE="settings",
           PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))


class _SlowHandler(SimpleHTTPRequestHandler):
    """Static files with a small delay, so the kill lands in the middle of the crawl."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        time.sleep(0.01)
        try:
            super().do_GET()
        except (BrokenPipeError, ConnectionResetError):  # the killed crawler hung up
            pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[dict]]]:
    root = tmp_path_factory.mktemp("site")
    write_html_site(generate(PAGES, seed=42), root, per_index=100)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SlowHandler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    truth = [json.loads(line) for line in (root / "truth.jsonl").read_text("utf-8").splitlines()]
    try:
        yield base, [dict(t, page=f"{base}/{t['file']}") for t in truth]
    finally:
        server.shutdown()
        server.server_close()


def crawl_command(base: str, jobdir: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "articles", "-a", f"urls={base}/index.html",
            "-s", f"JOBDIR={jobdir}", "-s", "SPAMSIEVE_STATE_DIR=state",
            "-s", "ARTICLES_MAX_DEPTH=10", "-s", "CONCURRENT_REQUESTS=4",
            "-s", "SPAMSIEVE_ANNOTATE=False"]


def lines_in(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def feed_rows(path: Path, *, killed: bool = False) -> list[dict]:
    """Every line whole JSON; after a SIGKILL only the unterminated last line may be torn
    (the kernel can stop a multi-page ``write()`` when the process is killed)."""
    data = path.read_bytes().decode("utf-8", "replace")
    lines = data.split("\n")
    if killed and lines[-1]:
        lines = lines[:-1]  # the item being written at the kill: never committed
    return [json.loads(line) for line in lines if line.strip()]


def review_ok(workdir: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "review", "summary",
                           "output/rejected.jsonl"], cwd=workdir, env=ENV,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    reader = LogReader([workdir / "output" / "rejected.jsonl"])
    records = list(reader)
    assert reader.stats.bad_lines <= 1, reader.stats.describe()  # the record cut by the kill
    assert records


def state_ok(workdir: Path) -> int:
    db = sqlite3.connect(workdir / "state" / "fingerprints.sqlite")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute("SELECT count(*) FROM fingerprints").fetchone()[0]
    finally:
        db.close()


def reachable_after_resume(base: str, page: str, seen: set[bytes]) -> bool:
    """Whether a resumed crawl with run 1's ``requests.seen`` can still request ``page``:
    neither it nor any list page on its path from the start URL was recorded as seen
    (``index.html`` -> ``index-2.html`` -> ... with 100 pages per list page)."""
    number = int(page.rsplit("/", 1)[1].split(".")[0])
    path = [f"{base}/index.html"] + [f"{base}/index-{n}.html" for n in range(2, number // 100 + 2)]
    return all(fingerprint(Request(url)) not in seen for url in [*path, page])


def state_keys(workdir: Path) -> set[str]:
    db = sqlite3.connect(workdir / "state" / "fingerprints.sqlite")
    try:
        return {row[0] for row in db.execute("SELECT key FROM fingerprints")}
    finally:
        db.close()


def test_sigkill_midway_then_resume_loses_nothing_and_keeps_nothing_twice(
        site: tuple[str, list[dict]], tmp_path: Path) -> None:
    base, truth = site
    pages = {t["page"] for t in truth}
    output = tmp_path / "output"

    # run 1: killed with SIGKILL after some outcomes were written
    proc = subprocess.Popen(crawl_command(base, "job"), cwd=tmp_path, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if lines_in(output / "kept.jsonl") + lines_in(output / "rejected.jsonl") >= KILL_AFTER:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "run 1 finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    kept1 = feed_rows(output / "kept.jsonl", killed=True)
    (output / "kept.jsonl").rename(tmp_path / "kept-run1.jsonl")
    seen = set(_read_fingerprints((tmp_path / "job" / "requests.seen").read_bytes()))
    assert not (tmp_path / "job" / "requests.queue" / "active.json").exists()
    committed = state_ok(tmp_path)
    review_ok(tmp_path)
    assert kept1 and committed >= len(kept1) - 1  # at most the in-flight item uncommitted
    # no data loss: every fingerprint the killed run committed belongs to a feed line
    # (with Scrapy's buffered FileFeedStorage the last kept items were committed here but
    # still sat in the feed's 8 KiB buffer when the process died: lost for good)
    assert state_keys(tmp_path) <= {r["url"] for r in kept1}

    # run 2: same JOBDIR and state, to the end
    proc2 = subprocess.run(crawl_command(base, "job"), cwd=tmp_path, env=ENV,
                           capture_output=True, text=True, timeout=300)
    assert proc2.returncode == 0, proc2.stderr[-3000:]
    kept2 = feed_rows(output / "kept.jsonl")
    (output / "kept.jsonl").rename(tmp_path / "kept-run2.jsonl")
    rejected = list(LogReader([output / "rejected.jsonl"]))
    logged = {r["url"] for r in rejected}
    urls1, urls2 = {r["url"] for r in kept1}, {r["url"] for r in kept2}
    lost_by_jobdir = {p for p in pages - urls1 - urls2 - logged
                      if not reachable_after_resume(base, p, seen)}
    assert pages - urls1 - urls2 - logged - lost_by_jobdir == set()

    # run 3: recovery with a fresh JOBDIR and the same dedupe state
    proc3 = subprocess.run(crawl_command(base, "job-recovery"), cwd=tmp_path, env=ENV,
                           capture_output=True, text=True, timeout=300)
    assert proc3.returncode == 0, proc3.stderr[-3000:]
    kept3 = feed_rows(output / "kept.jsonl")
    urls3 = {r["url"] for r in kept3}
    rejected = list(LogReader([output / "rejected.jsonl"]))
    logged = {r["url"] for r in rejected}
    assert pages - urls1 - urls2 - urls3 - logged == set(), "pages never accounted for"

    # nothing kept twice, except the one item in flight at the kill
    in_flight = {kept1[-1]["url"]}
    twice = (urls1 & urls2) | (urls1 & urls3) | (urls2 & urls3)
    assert twice <= in_flight, sorted(twice)
    for kept in (kept1, kept2, kept3):
        assert len({r["url"] for r in kept}) == len(kept)
    # re-crawled pages kept before come back as duplicates of themselves
    self_dups = [r for r in rejected if r.get("duplicate_of") == r["url"]]
    assert {r["url"] for r in self_dups} <= urls1 | urls2 | urls3
    # the dedupe state of the killed run was honoured: later keeps are not near copies
    fingerprinter = Fingerprinter(min_features=DEFAULTS["SPAMSIEVE_DEDUPE_MIN_FEATURES"])
    distance = DEFAULTS["SPAMSIEVE_DEDUPE_DISTANCE"]
    earlier = [fp for r in kept1 if r["url"] not in in_flight
               if (fp := fingerprinter.fingerprint(r["text"])) is not None]
    for row in kept2 + kept3:
        fp = fingerprinter.fingerprint(row["text"])
        if fp is None or row["url"] in in_flight:
            continue
        assert min(hamming(fp, other) for other in earlier) > distance, row["url"]
    state_ok(tmp_path)
    review_ok(tmp_path)
    if not reachable_after_resume(base, f"{base}/pages/0000000.html", seen):
        print("\nrun 2 (same JOBDIR) requested nothing: its start URL was in requests.seen")
    print(f"\nrun 1 kept {len(kept1)} (killed), run 2 kept {len(kept2)}, run 3 kept {len(kept3)}; "
          f"lost by JOBDIR after SIGKILL: {len(lost_by_jobdir)}; self-duplicate rejections: "
          f"{len(self_dups)}; kept twice: {len(twice)}")


def test_addon_feed_storage_hands_each_item_to_the_os(tmp_path: Path) -> None:
    """The add-on's local feed storage: a line is on disk as soon as it is exported (what
    lets the crash test demand that no committed fingerprint lacks its feed line)."""
    from scrapy.exporters import JsonLinesItemExporter
    from scrapy.utils.misc import load_object
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(settings_dict={"ADDONS": {"pipelines.SpamSieveAddon": 100},
                                         "SPAMSIEVE_REJECTED_LOG": str(tmp_path / "r.jsonl")})
    storages = crawler.settings.getwithbase("FEED_STORAGES")
    assert storages["file"] == storages[""] == "pipelines.feedstorage.UnbufferedFileFeedStorage"
    path = tmp_path / "out" / "kept.jsonl"
    storage = load_object(storages["file"])(str(path), feed_options={"overwrite": True})
    handle = storage.open(None)
    exporter = JsonLinesItemExporter(handle, encoding="utf-8")
    for number in range(3):
        exporter.export_item({"url": f"http://a.example/{number}", "text": "短" * 10})
        assert path.read_bytes().count(b"\n") == number + 1  # not waiting in a buffer
    storage.store(handle)
    assert len(read_jsonl(path)) == 3


def test_record_after_a_torn_line_of_a_killed_run_stays_readable(tmp_path: Path) -> None:
    """A killed run can leave half a record at the end of the rejected log; the next run's
    first record must not be glued to it (it was, and was lost to every reader)."""
    log = tmp_path / "rejected.jsonl"
    log.write_bytes(b'{"id": "whole"}\n{"id": "torn", "item": {"text": "\xe6\xbe')
    with RejectedLogWriter(log) as writer:
        writer.write({"id": "next-run"})
    reader = LogReader([log])
    assert [r["id"] for r in reader] == ["whole", "next-run"]
    assert reader.stats.bad_lines == 1
