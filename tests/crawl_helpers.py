"""Running real ``scrapy crawl`` subprocesses of the project from tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "crawler" / "demo_site"


@dataclass
class CrawlResult:
    returncode: int
    log: str
    kept: list[dict]
    rejected: list[dict]
    workdir: Path


def run_crawl(workdir: Path, *args: str, settings: dict[str, str] | None = None,
              timeout: float = 180, env: dict[str, str] | None = None) -> CrawlResult:
    """``scrapy crawl articles`` in ``workdir`` (outputs land in workdir/output/)."""
    workdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", "articles", *args]
    for name, value in (settings or {}).items():
        command += ["-s", f"{name}={value}"]
    environment = dict(os.environ, SCRAPY_SETTINGS_MODULE="settings",
                       PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    environment.update(env or {})
    proc = subprocess.run(command, cwd=workdir, env=environment, capture_output=True,
                          text=True, timeout=timeout)
    return CrawlResult(
        proc.returncode,
        proc.stdout + proc.stderr,
        read_jsonl(workdir / "output" / "kept.jsonl"),
        read_jsonl(workdir / "output" / "rejected.jsonl"),
        workdir,
    )


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text("utf-8").split("\n"):  # not splitlines(): U+2028 is not a JSONL break
        if line.strip():
            rows.append(json.loads(line))
    return rows


def load_manifest() -> list[dict]:
    data = json.loads((DEMO / "manifest.json").read_text("utf-8"))
    return data["pages"] if isinstance(data, dict) else data


def page_path(url: str) -> str:
    """A crawled URL (file:// or http://127.0.0.1:PORT/) as a manifest path."""
    path = urlsplit(url).path
    marker = "/demo_site/"
    if marker in path:
        path = path.split(marker, 1)[1]
    return path.lstrip("/").split("#", 1)[0]
