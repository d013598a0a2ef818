"""The rejected-log writer and reader: round trip, gzip, rotation, concurrency, crashes."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
from pathlib import Path

import pytest

from pipelines.rejectlog.writer import RejectedLogError, RejectedLogWriter, rotated_paths
from pipelines.review.reader import LogNotFound, LogReader, read_records


def _records(n: int, tag: str = "r") -> list[dict]:
    return [{"id": f"{tag}{i}", "item": {"text": "澳门新葡京 " * (i % 5), "n": i}}
            for i in range(n)]


@pytest.mark.parametrize("name", ["rejected.jsonl", "rejected.jsonl.gz"])
def test_round_trip_plain_and_gzip(tmp_path: Path, name: str) -> None:
    path = tmp_path / "deep" / "dir" / name  # parents are created
    records = _records(20)
    with RejectedLogWriter(path) as writer:
        for record in records:
            writer.write(record)
    assert read_records([path]) == records
    raw = path.read_bytes()
    if name.endswith(".gz"):
        assert raw[:2] == b"\x1f\x8b"
        lines = gzip.decompress(raw).decode("utf-8").splitlines()
    else:
        lines = raw.decode("utf-8").splitlines()
        assert "澳门新葡京" in raw.decode("utf-8")  # ensure_ascii=False: readable
    assert [json.loads(line) for line in lines] == records


def test_each_record_is_on_disk_before_close(tmp_path: Path) -> None:
    """Nothing buffered: a crash after write() returns loses nothing (gzip: member per record)."""
    path = tmp_path / "rejected.jsonl.gz"
    writer = RejectedLogWriter(path)
    writer.write({"id": "a"})
    writer.write({"id": "b"})
    assert [r["id"] for r in read_records([path])] == ["a", "b"]  # writer still open
    writer.close()


def test_appends_to_existing_log(tmp_path: Path) -> None:
    path = tmp_path / "rejected.jsonl"
    with RejectedLogWriter(path) as writer:
        writer.write({"id": "first"})
    with RejectedLogWriter(path) as writer:
        writer.write({"id": "second"})
    assert [r["id"] for r in read_records([path])] == ["first", "second"]


def test_rotation_keeps_n_backups_and_reader_reads_them_in_order(tmp_path: Path) -> None:
    path = tmp_path / "rejected.jsonl"
    records = _records(30)
    line_size = max(len(json.dumps(r, ensure_ascii=False).encode()) + 1 for r in records)
    with RejectedLogWriter(path, max_bytes=line_size * 3, backups=3) as writer:
        for record in records:
            writer.write(record)
    backups = rotated_paths(path)
    assert [p.name for p in backups] == ["rejected.jsonl.3", "rejected.jsonl.2", "rejected.jsonl.1"]
    for p in [path, *backups]:
        assert p.stat().st_size <= line_size * 3
    got = read_records([path])  # backups are included automatically, oldest first
    assert [r["id"] for r in got] == [r["id"] for r in records[-len(got):]]
    assert len(got) > 9  # 3 backups + current file


def test_unwritable_path_fails_at_open_with_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(RejectedLogError, match="cannot open rejected log .*a_file"):
        RejectedLogWriter(blocker / "rejected.jsonl")


def _append_many(path: str, tag: str, count: int, size: int, max_bytes: int = 0) -> None:
    with RejectedLogWriter(path, max_bytes=max_bytes, backups=1000) as writer:
        for i in range(count):
            writer.write({"id": f"{tag}-{i}", "item": {"text": tag * size}})


@pytest.mark.parametrize("name", ["rejected.jsonl", "rejected.jsonl.gz"])
def test_two_processes_appending_never_interleave(tmp_path: Path, name: str) -> None:
    path = str(tmp_path / name)
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    procs = [ctx.Process(target=_append_many, args=(path, tag, 150, 9000)) for tag in "ab"]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    reader = LogReader([path])
    records = list(reader)
    assert reader.stats.bad_lines == 0
    assert sorted(r["id"] for r in records) == sorted(
        f"{t}-{i}" for t in "ab" for i in range(150))
    for record in records:
        assert record["item"]["text"] == record["id"][0] * 9000
    for tag in "ab":  # each process's records stay in its own order
        mine = [int(r["id"].split("-")[1]) for r in records if r["id"][0] == tag]
        assert mine == sorted(mine)


def test_truncated_last_line_is_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "rejected.jsonl"
    with RejectedLogWriter(path) as writer:
        for record in _records(3):
            writer.write(record)
    with open(path, "ab") as handle:  # what a SIGKILL mid-write leaves
        handle.write(b'{"id": "half", "item": {"te')
    reader = LogReader([path])
    assert [r["id"] for r in reader] == ["r0", "r1", "r2"]
    assert reader.stats.bad_lines == 1 and reader.stats.truncated == 1
    assert "truncated" in reader.stats.describe()


def test_truncated_gzip_member_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "rejected.jsonl.gz"
    with RejectedLogWriter(path) as writer:
        for record in _records(3):
            writer.write(record)
    member = gzip.compress(b'{"id": "lost", "item": {}}\n' * 50)
    with open(path, "ab") as handle:
        handle.write(member[: len(member) // 2])
    reader = LogReader([path])
    assert [r["id"] for r in reader] == ["r0", "r1", "r2"]
    assert reader.stats.truncated == 1


def test_missing_log_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LogNotFound, match="no such rejected log"):
        LogReader([tmp_path / "nope.jsonl"])


def test_two_processes_rotating_the_same_log_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "rejected.jsonl")
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    procs = [ctx.Process(target=_append_many, args=(path, tag, 60, 2000, 10_000))
             for tag in "ab"]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    assert len(rotated_paths(path)) >= 10
    reader = LogReader([path])
    ids = sorted(r["id"] for r in reader)
    assert reader.stats.bad_lines == 0
    assert ids == sorted(f"{t}-{i}" for t in "ab" for i in range(60))


def test_non_json_record_is_made_safe_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "rejected.jsonl"
    with RejectedLogWriter(path) as writer:
        writer.write({"id": "x", "item": {"raw": b"\x00", "nan": float("nan")}})
    assert read_records([path]) == [{"id": "x", "item": {"raw": {"$bytes": "AA=="},
                                                         "nan": {"$float": "nan"}}}]


def _write_until_killed(path: str, ready) -> None:
    with RejectedLogWriter(path) as writer:
        i = 0
        while True:
            writer.write({"id": i, "item": {"text": "彩" * (i % 3000)}})
            i += 1
            if i == 300:
                ready.set()


@pytest.mark.parametrize("name", ["rejected.jsonl", "rejected.jsonl.gz"])
def test_sigkill_mid_crawl_loses_at_most_the_record_being_written(tmp_path: Path,
                                                                  name: str) -> None:
    import signal

    path = str(tmp_path / name)
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    ready = ctx.Event()
    proc = ctx.Process(target=_write_until_killed, args=(path, ready))
    proc.start()
    assert ready.wait(60)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(60)
    reader = LogReader([path])
    ids = [r["id"] for r in reader]
    assert len(ids) >= 300
    assert ids == list(range(len(ids)))  # a gap-free prefix of what was written
    assert reader.stats.bad_lines <= 1
