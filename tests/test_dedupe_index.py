"""LocalIndex: the same answers as a brute-force scan, pending/commit/release semantics,
and the buffer merges that keep inserts cheap."""

from __future__ import annotations

import numpy as np
import pytest

from pipelines.dedupe.local_index import LocalIndex, block_plan


def flip(fp: int, bits: np.ndarray) -> int:
    for b in bits:
        fp ^= 1 << int(b)
    return fp


def brute_nearest(stored: np.ndarray, fp: int, k: int) -> int | None:
    d = np.bitwise_count(stored ^ np.uint64(fp))
    return int(d.min()) if stored.size and d.min() <= k else None


@pytest.mark.parametrize("k", range(0, 17))
def test_block_plan_satisfies_the_pigeonhole_bound(k: int) -> None:
    m, r = block_plan(k)
    assert m * (r + 1) > k  # some block then differs by <= r bits


@pytest.mark.parametrize("k", range(3, 9))
def test_queries_agree_with_brute_force(k: int) -> None:
    rng = np.random.default_rng(k)
    bulk = rng.integers(0, 2**64 - 1, size=3000, dtype=np.uint64)
    # clustered fingerprints too, so several candidates per block bucket exist
    base = int(bulk[0])
    clustered = np.array([flip(base, rng.choice(64, size=rng.integers(0, 12), replace=False))
                          for _ in range(300)], dtype=np.uint64)
    index = LocalIndex(k, min_buffer=64)
    index.load_arrays(bulk)  # sorted tables
    for i, fp in enumerate(clustered.tolist()):  # buffer, merged every 64
        index.add(fp, f"https://x/{i}")
    stored = np.concatenate([bulk, clustered])
    assert len(index) == stored.size
    for _ in range(400):
        source = int(stored[rng.integers(0, stored.size)])
        query = flip(source, rng.choice(64, size=rng.integers(0, k + 4), replace=False))
        match = index.query(query)
        expected = brute_nearest(stored, query, k)
        assert (match.distance if match else None) == expected
        if match:
            assert bin(match.fingerprint ^ query).count("1") == match.distance
    index.close()


def test_match_names_the_kept_key() -> None:
    index = LocalIndex(3)
    index.add(0xDEADBEEF, "https://a/1")
    match = index.query(0xDEADBEEF ^ 0b101)
    assert match is not None
    assert (match.key, match.fingerprint, match.distance) == ("https://a/1", 0xDEADBEEF, 2)
    assert index.query(0xDEADBEEF ^ 0b1111) is None


def test_pending_reservations_block_copies_until_released() -> None:
    index = LocalIndex(4)
    fp = 0x0123456789ABCDEF
    assert index.reserve(fp, "https://a") is None  # unique: now pending
    assert len(index) == 0 and index.pending == 1
    copy = index.reserve(fp ^ 0b11, "https://b")
    assert copy is not None and copy.key == "https://a"  # a concurrent copy is caught
    index.release("https://a")  # the original was dropped later in the chain
    assert index.reserve(fp ^ 0b11, "https://b") is None  # so its copy is kept
    index.commit("https://b")
    assert len(index) == 1 and index.pending == 0
    match = index.reserve(fp, "https://c")
    assert match is not None and match.key == "https://b"
    index.close()


def test_commit_and_release_of_unknown_keys_are_harmless() -> None:
    index = LocalIndex(3)
    index.commit("never-reserved")
    index.release("never-reserved")
    assert len(index) == 0


def test_nearest_of_several_matches_is_returned() -> None:
    index = LocalIndex(8, min_buffer=2)
    fp = 0xF0F0F0F0F0F0F0F0
    index.add(fp ^ 0b1111111, "far")
    index.add(fp ^ 0b1, "near")
    index.add(fp ^ 0b111, "middle")  # third insert triggers a buffer merge
    match = index.query(fp)
    assert match is not None and match.key == "near" and match.distance == 1


def test_memory_stays_within_64_bytes_per_article() -> None:
    index = LocalIndex(8)
    index.load_arrays(np.random.default_rng(0).integers(0, 2**64 - 1, size=50_000, dtype=np.uint64))
    assert index.nbytes() / len(index) <= 64
