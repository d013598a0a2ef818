"""``spamsieve bench`` end to end at toy sizes: every section is printed and the JSON is valid.

No timing assertions: numbers on a shared CI machine mean nothing at these sizes; the test
guards the command itself (the README tells users to run it) against bit-rot.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SECTIONS = ("THROUGHPUT", "WHOLE CHAIN", "simhash.Simhash(text)", "chain vs Simhash(text)",
            "CRAWL", "pipelines' CPU overhead", "INDEX MEMORY", "STREAMING MEMORY", "BARS")
BAR_NAMES = ("chain throughput", "chain vs simhash", "crawl CPU overhead",
             "RSS per indexed article", "flat memory")

pytestmark = pytest.mark.crawl


def _bench(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "bench", "--articles", "40",
         "--headline-articles", "10", "--repeat", "1", "--crawl-pages", "20", "--crawl-runs", "1",
         "--index-sizes", "5000,10000", "--stream-items", "20", *extra],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )


def test_bench_prints_every_section_and_valid_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = _bench(tmp_path, "--json-out", str(out))
    assert proc.returncode in (0, 1), proc.stderr[-2000:]  # 1 = a bar failed, not a crash
    for section in SECTIONS:
        assert section in proc.stdout, f"missing {section!r} in:\n{proc.stdout}"
    results = json.loads(out.read_text("utf-8"))
    assert set(results["throughput"]) == {"mixed", "4000"}
    for corpus in results["throughput"].values():
        assert set(corpus["stages"]) >= {"normalize", "detect", "clean", "fingerprint", "index",
                                         "chain", "simhash", "simhash_index"}
        assert corpus["ratios"]["chain_vs_simhash"] > 0
    assert results["throughput"]["4000"]["corpus"]["mean_chars"] == 4000
    crawl = results["crawl"]
    assert crawl["source"] == "http" and crawl["server_cpus"]  # served, not file://
    assert "served over HTTP from 127.0.0.1" in proc.stdout
    assert crawl["off"]["returncode"] == 0 and crawl["on"]["returncode"] == 0
    assert crawl["off"]["items_kept"] == 20  # every page reached, nothing filtered
    # the same pages reached with the pipelines on: each one kept or rejected, none lost
    assert crawl["on"]["items_kept"] + crawl["on"]["items_rejected"] == 20
    assert [m["articles"] for m in results["index_memory"]["sizes"]] == [5000, 10000]
    assert [r["items"] for r in results["stream_memory"]["runs"]] == [20, 80]
    assert all(r["returncode"] == 0 for r in results["stream_memory"]["runs"])
    names = " ".join(bar["name"] for bar in results["bars"])
    assert all(name in names for name in BAR_NAMES)
    assert {bar["status"] for bar in results["bars"]} <= {"PASS", "FAIL", "SKIPPED"}


def test_bench_json_only_and_skips(tmp_path: Path) -> None:
    proc = _bench(tmp_path, "--json", "--no-crawl", "--no-memory")
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    results = json.loads(proc.stdout)  # stdout is the JSON document alone
    assert "crawl" not in results and "index_memory" not in results
    statuses = {bar["name"].split(" (")[0]: bar["status"] for bar in results["bars"]}
    assert statuses["crawl CPU overhead of the pipelines"] == "SKIPPED"
    assert statuses["filter peak RSS at 4N vs N items"] == "SKIPPED"


def test_served_site_is_quiet_and_always_stopped(tmp_path: Path) -> None:
    """The crawl bench's HTTP server: pages, no directory listings, and it is stopped when
    the block fails (a crashed crawl must not leave a server behind)."""
    import urllib.error
    import urllib.request

    from pipelines.bench.crawl_bench import build_site, serve_site

    start = build_site(3, tmp_path / "site")
    urlopen = urllib.request.build_opener(urllib.request.ProxyHandler({})).open  # no http_proxy
    with pytest.raises(RuntimeError, match="crawl failed"):
        with serve_site(start.parent, log_path=tmp_path / "server.log") as served:
            with urlopen(served.url + start.name, timeout=10) as response:
                assert response.status == 200 and b"index.html" in response.read()
            with pytest.raises(urllib.error.HTTPError) as listing:
                urlopen(served.url + "pages/", timeout=10)
            assert listing.value.code == 404
            raise RuntimeError("crawl failed")
    with pytest.raises(OSError):
        urlopen(served.url + start.name, timeout=2)
    assert (tmp_path / "server.log").read_text() == ""  # no per-request logging
