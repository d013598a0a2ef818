"""RedisIndex against a real redis-server: same answers as brute force, atomic reserve
across threads and processes, pending/commit/release semantics, and what happens when
Redis is unreachable under both SPAMSIEVE_REDIS_ON_ERROR choices."""

from __future__ import annotations

import logging
import multiprocessing
import random
import threading
import uuid
from collections.abc import Iterator

import pytest
from scrapy.settings import Settings

from tests.redis_server import RedisServer, free_port, require_redis

require_redis()

from pipelines.dedupe.index import Match  # noqa: E402
from pipelines.dedupe.redis_admin import clear_prefix, main  # noqa: E402
from pipelines.dedupe.redis_index import (  # noqa: E402
    FALLBACK_STAT,
    DedupeBackendError,
    Layout,
    RedisIndex,
    choose_layout,
    connect,
    redact_url,
)

pytestmark = pytest.mark.redis


@pytest.fixture(scope="module")
def server() -> Iterator[RedisServer]:
    with RedisServer() as srv:
        yield srv


@pytest.fixture
def prefix() -> str:
    """Each test gets its own key space on the shared server."""
    return f"t{uuid.uuid4().hex[:8]}"


def make_index(server: RedisServer, prefix: str, k: int = 6, **kw: object) -> RedisIndex:
    return RedisIndex(connect(server.url), k, prefix=prefix, **kw)  # type: ignore[arg-type]


class StatsStub:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count


def flip(fp: int, bits: list[int]) -> int:
    for b in bits:
        fp ^= 1 << b
    return fp


def workload(k: int, rng: random.Random, n_base: int = 300) -> list[int]:
    """Random fingerprints plus planted copies at distances around k, with the flipped
    bits both random and spread evenly over the blocks (the layout's worst case)."""
    fps: list[int] = []
    for _ in range(n_base):
        base = rng.getrandbits(64)
        fps.append(base)
        for d in (max(k - 1, 0), k, k + 1, k + 2):
            fps.append(flip(base, rng.sample(range(64), d)))
            step = 64 // max(d, 1)
            fps.append(flip(base, [(i * step + rng.randrange(step)) % 64 for i in range(d)]))
    rng.shuffle(fps)
    return fps


class BruteForce:
    """The reference: nearest stored fingerprint within k, earliest on ties."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.entries: list[tuple[int, str]] = []

    def reserve(self, fp: int, key: str) -> Match | None:
        best: Match | None = None
        for other, other_key in self.entries:
            d = (other ^ fp).bit_count()
            if d <= self.k and (best is None or d < best.distance):
                best = Match(other_key, other, d)
        if best is None:
            self.entries.append((fp, key))
        return best


@pytest.mark.parametrize(
    ("k", "layout"),
    [(k, None) for k in range(0, 12)] + [(8, Layout(3, 2)), (5, Layout(3, 1))],
)
def test_same_answers_as_brute_force(
    server: RedisServer, prefix: str, k: int, layout: Layout | None
) -> None:
    rng = random.Random(1000 + k)
    index = make_index(server, prefix, k, layout=layout)
    reference = BruteForce(k)
    for i, fp in enumerate(workload(k, rng, n_base=120)):
        key = f"https://example.test/{i}"
        assert index.reserve(fp, key) == reference.reserve(fp, key), (k, i, hex(fp))
        index.commit(key)
    assert len(index) == len(reference.entries)
    index.close()


def test_layouts_cover_their_distance() -> None:
    for k in range(12):
        assert choose_layout(k).reach >= k
    with pytest.raises(ValueError, match="SPAMSIEVE_DEDUPE_DISTANCE"):
        choose_layout(12)


def test_pending_blocks_copies_commit_keeps_release_forgets(
    server: RedisServer, prefix: str
) -> None:
    a, b = make_index(server, prefix), make_index(server, prefix)
    fp = 0x0123_4567_89AB_CDEF
    assert a.reserve(fp, "first") is None
    # still pending in worker a: worker b's copy is blocked and told who holds it
    assert b.reserve(flip(fp, [1, 40]), "copy") == Match("first", fp, 2)
    a.release("first")  # a's item was dropped later in the chain
    assert b.reserve(flip(fp, [1, 40]), "copy") is None  # so the clean copy is kept
    b.commit("copy")
    assert a.reserve(fp, "again") == Match("copy", flip(fp, [1, 40]), 2)
    assert len(a) == 1


def test_close_releases_what_this_worker_still_holds(server: RedisServer, prefix: str) -> None:
    a = make_index(server, prefix)
    assert a.reserve(42, "in-flight") is None
    a.close()
    b = make_index(server, prefix)
    assert b.reserve(42, "later") is None


def test_dead_workers_pending_entries_are_reclaimed(server: RedisServer, prefix: str) -> None:
    pending_fp, kept_fp = 0x5555_0000_FFFF_1234, 0xAAAA_FFFF_0000_4321
    # opened before the entries exist, so its open-time sweep cannot be what reclaims them
    survivor = make_index(server, prefix, pending_timeout=0)
    dead = make_index(server, prefix)
    assert dead.reserve(pending_fp, "pending-forever") is None
    assert dead.reserve(kept_fp, "kept") is None
    dead.commit("kept")  # committed entries never expire
    # a worker whose timeout says every pending entry is stale reclaims the dead one's
    assert survivor.reserve(pending_fp, "copy") is None
    assert survivor.reserve(kept_fp, "copy2") == Match("kept", kept_fp, 0)


def test_sweep_at_open_reclaims_stale_pending(server: RedisServer, prefix: str) -> None:
    dead = make_index(server, prefix)
    for i in range(5):
        dead.reserve(random.Random(i).getrandbits(64), f"p{i}")
    assert len(dead) == 5
    restarted = make_index(server, prefix, pending_timeout=0)
    assert len(restarted) == 0


def test_prefix_built_for_a_smaller_distance_is_refused(server: RedisServer, prefix: str) -> None:
    make_index(server, prefix, k=3)
    with pytest.raises(DedupeBackendError, match="SPAMSIEVE_REDIS_PREFIX"):
        make_index(server, prefix, k=6)
    assert make_index(server, prefix, k=2).layout == choose_layout(3)


def _thread_worker(index: RedisIndex, barrier: threading.Barrier, fp: int, key: str,
                   results: list[Match | None], slot: int) -> None:
    barrier.wait()
    results[slot] = index.reserve(fp, key)


def test_concurrent_reserve_from_threads_keeps_exactly_one(
    server: RedisServer, prefix: str
) -> None:
    workers = 8
    indexes = [make_index(server, prefix) for _ in range(workers)]
    for round_no in range(10):
        fp = random.Random(round_no).getrandbits(64)
        barrier = threading.Barrier(workers)
        results: list[Match | None] = [None] * workers
        threads = [
            threading.Thread(target=_thread_worker,
                             args=(indexes[i], barrier, flip(fp, [i]), f"r{round_no}-w{i}",
                                   results, i))
            for i in range(workers)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(r is None for r in results) == 1, results


def _process_worker(url: str, prefix: str, fps: list[int], name: str, start, out) -> None:  # noqa: ANN001
    index = RedisIndex(connect(url), 6, prefix=prefix)
    start.wait()
    kept = []
    for i, fp in enumerate(fps):
        if index.reserve(fp, f"{name}-{i}") is None:
            index.commit(f"{name}-{i}")
            kept.append(i)
    out.put((name, kept))


def test_concurrent_reserve_from_processes_keeps_exactly_one_per_article(
    server: RedisServer, prefix: str
) -> None:
    """Four processes each see their own near-copy of the same 200 articles at once."""
    rng = random.Random(7)
    bases = [rng.getrandbits(64) for _ in range(200)]
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Barrier(4), ctx.Queue()
    procs = []
    for w in range(4):
        copies = [flip(b, rng.sample(range(64), 2)) for b in bases]
        procs.append(ctx.Process(
            target=_process_worker, args=(server.url, prefix, copies, f"w{w}", start, out)
        ))
    for p in procs:
        p.start()
    kept = dict(out.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(timeout=30)
    per_article = [sum(i in kept[w] for w in kept) for i in range(len(bases))]
    assert per_article == [1] * len(bases)


def test_unreachable_redis_stops_with_a_clear_error() -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings = Settings({"SPAMSIEVE_REDIS_URL": url, "SPAMSIEVE_REDIS_ON_ERROR": "stop"})
    with pytest.raises(DedupeBackendError) as err:
        RedisIndex.from_settings(settings, distance=6)
    assert "SPAMSIEVE_REDIS_URL" in str(err.value) and url in str(err.value)


def test_unreachable_redis_falls_back_to_local_and_counts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = Settings({
        "SPAMSIEVE_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        "SPAMSIEVE_REDIS_ON_ERROR": "local",
    })
    stats = StatsStub()
    with caplog.at_level(logging.ERROR):
        index = RedisIndex.from_settings(settings, distance=6, stats=stats)
        assert index.is_fallback
        assert index.reserve(99, "a") is None
        index.commit("a")
        assert index.reserve(flip(99, [3]), "b") is not None
    assert stats.values[FALLBACK_STAT] == 2
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "SPAMSIEVE_REDIS_URL" in errors[0].getMessage()


def test_redis_dying_mid_crawl_stop_raises_local_diverts(prefix: str) -> None:
    for on_error in ("stop", "local"):
        srv = RedisServer()
        stats = StatsStub()
        index = RedisIndex(connect(srv.url), 6, prefix=prefix, on_error=on_error, stats=stats)
        assert index.reserve(5, "before") is None
        srv.stop()
        if on_error == "stop":
            with pytest.raises(DedupeBackendError, match="SPAMSIEVE_REDIS_URL"):
                index.reserve(6, "during")
        else:
            assert index.reserve(6, "during") is None  # the local index starts empty
            index.commit("before")  # reserved in Redis: nothing to do, must not raise
            assert index.reserve(7, "after") == Match("during", 6, 1)
            assert stats.values[FALLBACK_STAT] == 2
        index.close()


def test_password_never_reaches_messages() -> None:
    assert redact_url("redis://user:s3cret@h:6380/1") == "redis://user:***@h:6380/1"
    assert redact_url("redis://:s3cret@h/0") == "redis://:***@h/0"
    assert redact_url("redis://h:6379/0") == "redis://h:6379/0"


def test_clear_prefix_removes_binary_keys_and_nothing_else(
    server: RedisServer, prefix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    index = make_index(server, prefix)
    for i in range(50):
        index.reserve(random.Random(i).getrandbits(64) | 0x0A0A, f"u{i}")  # "\n" bytes in keys
    client = server.client()
    client.set("unrelated", "1")
    main(["size", "--url", server.url, "--prefix", prefix])
    assert "50 fingerprints (50 pending)" in capsys.readouterr().out
    assert clear_prefix(client, prefix) > 50
    assert list(client.scan_iter(match=f"{prefix}:*")) == []
    assert client.get("unrelated") == b"1"


def test_layout_setting_is_used_and_checked(server: RedisServer, prefix: str) -> None:
    settings = Settings({"SPAMSIEVE_REDIS_URL": server.url, "SPAMSIEVE_REDIS_PREFIX": prefix,
                         "SPAMSIEVE_REDIS_LAYOUT": "3x2"})
    index = RedisIndex.from_settings(settings, distance=6)
    assert index.layout == Layout(3, 2)
    assert index.reserve(0xFFFF, "a") is None
    assert index.reserve(0xFFFF ^ 0b111111, "b") == Match("a", 0xFFFF, 6)
    with pytest.raises(ValueError, match="SPAMSIEVE_REDIS_LAYOUT"):
        RedisIndex.from_settings(Settings({"SPAMSIEVE_REDIS_LAYOUT": "4x0"}), distance=6)
    with pytest.raises(ValueError, match="SPAMSIEVE_REDIS_LAYOUT"):
        Layout.parse("four")
