"""Redis mode of the spiders (``crawler.spiders.redis_mode``) with scrapy-redis on the
installed Scrapy: workers take start URLs from a Redis list, share one request queue and
dupefilter (every page fetched once across workers), and close once idle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.redis_server import RedisServer, repo_root, require_redis

require_redis()

pytestmark = pytest.mark.redis

PAGES = [f"a{i}.html" for i in range(8)]

SPIDER = textwrap.dedent('''
    import scrapy
    from crawler.spiders.redis_mode import RedisStartMixin

    class PagesSpider(RedisStartMixin, scrapy.Spider):
        name = "pages"
        start_urls = ["{own_start}"]

        def parse(self, response):
            yield {{"url": response.url, "worker": self.settings.get("BOT_NAME")}}
            yield from response.follow_all(css="a::attr(href)")
''')


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("site")
    links = "".join(f'<a href="{p}">{p}</a>' for p in PAGES)
    (root / "index.html").write_text(f"<html><body>{links}</body></html>")
    for p in PAGES:
        (root / p).write_text(f'<html><body>{p} <a href="index.html">home</a></body></html>')
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def start_worker(workdir: Path, name: str, redis_url: str, *args: str) -> subprocess.Popen:
    settings = {
        "BOT_NAME": name,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": "True",
        "REDIS_URL": redis_url,
        "MAX_IDLE_TIME_BEFORE_CLOSE": "1",
        "TELNETCONSOLE_ENABLED": "False",
        "LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "scrapy", "runspider", "spider.py",
               "-O", f"{name}.jsonl"]
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join([str(repo_root()), env.get("PYTHONPATH", "")])
    log = open(workdir / f"{name}.log", "w")  # noqa: SIM115 - closed by the OS on exit
    return subprocess.Popen([*command, *args], cwd=workdir, env=env, stdout=log, stderr=log)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_workers_share_start_list_queue_and_dupefilter(site: str, tmp_path: Path) -> None:
    (tmp_path / "spider.py").write_text(SPIDER.format(own_start=f"{site}/a0.html"))
    with RedisServer() as redis_server:
        client = redis_server.client()
        client.rpush("jobs:start", f"{site}/index.html")
        workers = [
            start_worker(tmp_path, f"w{i}", redis_server.url, "-a", "redis_key=jobs:start")
            for i in range(2)
        ]
        codes = [w.wait(timeout=60) for w in workers]
        logs = {w: (tmp_path / f"{w}.log").read_text() for w in ("w0", "w1")}
        assert codes == [0, 0], logs
        assert client.llen("jobs:start") == 0
    fetched = Counter(
        row["url"].rsplit("/", 1)[-1]
        for name in ("w0", "w1")
        for row in read_jsonl(tmp_path / f"{name}.jsonl")
    )
    # every page fetched exactly once across both workers (shared dupefilter); the
    # spider's own start URL was not used in redis mode (a0 came from the index page)
    assert fetched == Counter({"index.html": 1, **{p: 1 for p in PAGES}})
    assert all("Traceback" not in log for log in logs.values()), logs


def test_without_redis_key_the_spider_is_unchanged(site: str, tmp_path: Path) -> None:
    (tmp_path / "spider.py").write_text(SPIDER.format(own_start=f"{site}/a3.html"))
    env_free = [sys.executable, "-m", "scrapy", "runspider", "spider.py", "-O", "out.jsonl",
                "-s", "TELNETCONSOLE_ENABLED=False", "-s", "DEPTH_LIMIT=1"]
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join([str(repo_root()), env.get("PYTHONPATH", "")])
    proc = subprocess.run(env_free, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    urls = {row["url"].rsplit("/", 1)[-1] for row in read_jsonl(tmp_path / "out.jsonl")}
    assert urls == {"a3.html", "index.html"}
