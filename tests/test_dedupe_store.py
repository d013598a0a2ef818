"""FingerprintStore: kept fingerprints survive a restart, writes are batched, and a second
process cannot open the same state directory behind the first one's back."""

from __future__ import annotations

import sqlite3

import pytest

from pipelines.dedupe.local_index import LocalIndex
from pipelines.dedupe.store import FILENAME, FingerprintStore, StateLockedError

FPS = [0x0123456789ABCDEF, 0xFEDCBA9876543210, 2**64 - 1, 0, 0x8000000000000000]


def test_round_trip_gives_the_same_answers(tmp_path) -> None:
    index = LocalIndex(6, FingerprintStore(tmp_path))
    for i, fp in enumerate(FPS):
        index.add(fp, f"https://site/{i}")
    before = [index.query(fp ^ 0b11) for fp in FPS]
    index.close()

    reopened = LocalIndex(6, FingerprintStore(tmp_path))
    assert len(reopened) == len(FPS)
    assert [reopened.query(fp ^ 0b11) for fp in FPS] == before
    assert before[2].key == "https://site/2" and before[2].fingerprint == 2**64 - 1
    reopened.add(0x1111, "https://site/new")  # appends after the loaded rows
    reopened.close()
    assert len(LocalIndex(6, FingerprintStore(tmp_path))) == len(FPS) + 1


def test_only_committed_fingerprints_are_persisted(tmp_path) -> None:
    index = LocalIndex(4, FingerprintStore(tmp_path))
    index.reserve(FPS[0], "kept")
    index.reserve(FPS[1], "still-in-flight")
    index.commit("kept")
    index.close()
    reopened = LocalIndex(4, FingerprintStore(tmp_path))
    assert reopened.query(FPS[0]) is not None
    assert reopened.query(FPS[1]) is None
    reopened.close()


def test_writes_are_flushed_in_small_batches(tmp_path) -> None:
    store = FingerprintStore(tmp_path, flush_every=50, flush_seconds=3600)
    for i in range(120):
        store.append(i, f"k{i}")
    # a kill now would lose only the pending batch: 100 rows are already on disk
    with sqlite3.connect(tmp_path / FILENAME) as other:
        assert other.execute("SELECT count(*) FROM fingerprints").fetchone()[0] == 100
    assert store.key_of(120) == "k119"  # pending rows are still readable
    store.close()
    with sqlite3.connect(tmp_path / FILENAME) as other:
        assert other.execute("SELECT count(*) FROM fingerprints").fetchone()[0] == 120


def test_second_process_is_refused_with_a_clear_message(tmp_path) -> None:
    first = FingerprintStore(tmp_path)
    with pytest.raises(StateLockedError) as excinfo:
        FingerprintStore(tmp_path)
    message = str(excinfo.value)
    assert str(tmp_path) in message and "SPAMSIEVE_STATE_DIR" in message
    first.close()
    FingerprintStore(tmp_path).close()  # released on close


def test_memory_only_store_keeps_keys_out_of_the_state_dir(tmp_path) -> None:
    index = LocalIndex(3)  # store=None: a private temporary database
    index.add(FPS[0], "https://memory/1")
    assert index.query(FPS[0]).key == "https://memory/1"
    index.close()
    assert not list(tmp_path.iterdir())
