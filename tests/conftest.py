"""Shared fixtures: the bundled demo site, its ground-truth manifest, a local HTTP server
for it, and the labelled real-page corpus (read from ../shared/corpus, never copied here).
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so a test run (and CI) passes or
# fails for the code, not for the luck of the draw. SPAMSIEVE_HYPOTHESIS=explore draws
# new examples each run (and keeps failing ones in .hypothesis/) to look for new bugs.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("SPAMSIEVE_HYPOTHESIS", "repeatable"))

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = REPO_ROOT / "crawler" / "demo_site"
CORPUS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    """The demo site's directory (``crawler/demo_site``)."""
    return DEMO_DIR


@pytest.fixture(scope="session")
def manifest() -> list[dict]:
    """One ground-truth entry per demo page (see ``crawler/demo_site/build.py``)."""
    return json.loads((DEMO_DIR / "manifest.json").read_text("utf-8"))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture(scope="session")
def demo_server() -> Iterator[str]:
    """Serve the demo site on 127.0.0.1 (free port, background thread); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(DEMO_DIR))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def corpus_pages() -> list[dict]:
    """The 100 labelled real pages; skips when ../shared/corpus is not next to the repo."""
    path = CORPUS_DIR / "dev_pages.jsonl"
    if not path.exists():
        pytest.skip(f"labelled corpus not found at {path} (it lives outside the repository)")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def detector():
    """A detector with the bundled lexicon (shared by the detection tests)."""
    from pipelines.detection import Detector

    return Detector()
