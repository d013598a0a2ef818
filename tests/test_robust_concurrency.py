"""Two processes pointed at one dedupe state directory on one machine.

What the store implements (``pipelines/dedupe/store.py``): an exclusive ``flock`` on
``state.lock`` for the whole run; a second process is refused with a message naming the
directory and the remedy, before it processes any item. These tests hold the lock the
way a running crawl does and start real ``scrapy crawl`` / ``spamsieve filter``
processes against it, race two real filter processes, and check the state database
is intact afterwards in every case.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from crawl_helpers import REPO, run_crawl
from fuzz_items import base_items

from pipelines.dedupe.store import FingerprintStore

ENV = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
REFUSAL = "is in use by another process"


def integrity(state: Path) -> int:
    db = sqlite3.connect(state / "fingerprints.sqlite")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute("SELECT count(*) FROM fingerprints").fetchone()[0]
    finally:
        db.close()


def filter_command(source: Path, state: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pipelines.cli", "filter", str(source), "--state", str(state),
            "--kept", str(out / "kept.jsonl"), "--rejected", str(out / "rejected.jsonl"),
            "-s", f"SPAMSIEVE_ALLOWLIST_FILE={out / 'allow.txt'}"]


def test_second_crawl_on_a_held_state_dir_refuses_before_any_item(tmp_path: Path) -> None:
    state = tmp_path / "state"
    holder = FingerprintStore(state)  # what a running crawl holds
    holder.append(12345, "http://kept.example/1")
    try:
        result = run_crawl(tmp_path / "second", settings={"SPAMSIEVE_STATE_DIR": str(state)})
    finally:
        holder.close()
    assert result.returncode != 0
    assert REFUSAL in result.log and str(state) in result.log
    assert result.kept == [] and result.rejected == []
    assert integrity(state) == 1


def test_filter_on_a_held_state_dir_refuses_with_a_message(tmp_path: Path) -> None:
    state = tmp_path / "state"
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in base_items(5)), "utf-8")
    holder = FingerprintStore(state)
    try:
        proc = subprocess.run(filter_command(source, state, tmp_path / "out"), cwd=tmp_path,
                              env=ENV, capture_output=True, text=True, timeout=120)
    finally:
        holder.close()
    assert proc.returncode == 2, proc.stderr
    assert REFUSAL in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "kept.jsonl").exists()
    integrity(state)


def test_two_filter_processes_racing_for_one_state_dir(tmp_path: Path) -> None:
    """Either one is refused (clear message, nothing written), or they ran one after the
    other and shared the state: then no article is kept by both. Never a corrupt state."""
    state = tmp_path / "state"
    items = base_items(80, seed=31)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    outs = [tmp_path / "a", tmp_path / "b"]
    procs = [subprocess.Popen(filter_command(source, state, out), cwd=tmp_path, env=ENV,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for out in outs]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert any(rc == 0 for rc, _ in results), results
    kept_sets = []
    for (rc, stderr), out in zip(results, outs, strict=True):
        if rc != 0:
            assert rc == 2 and REFUSAL in stderr and "Traceback" not in stderr, stderr
            assert not (out / "kept.jsonl").exists()
            continue
        kept_sets.append({json.loads(line)["url"] for line in (out / "kept.jsonl").open(encoding="utf-8")})
    if len(kept_sets) == 2:  # ran one after the other: the second saw the first's state
        assert not kept_sets[0] & kept_sets[1]
    assert integrity(state) == sum(len(k) for k in kept_sets)
