"""The ``redis`` dedupe backend: one near-duplicate index shared by many crawl processes.

The same copied article is hijacked by dozens of domains; when N Scrapy processes (on one
or several machines) crawl them, each must know what the others already kept. The index
lives in Redis and the one operation that must be atomic — "find a fingerprint within
``k`` bits, else store this one as pending" — is a Lua script (``redis_index.lua``), so two
workers that fetch two copies at the same moment keep exactly one.

Semantics match the local backend (see :mod:`pipelines.dedupe.index`):

* ``reserve`` stores the fingerprint at once as *pending*, so concurrent copies are
  already blocked by it; the result names the nearest stored/pending fingerprint.
* ``commit`` makes it permanent (the item was kept); ``release`` forgets it (the item was
  dropped later), so a dropped copy never blocks a later clean one.
* A pending entry whose worker died (SIGKILL, OOM, lost machine) would block its copies
  forever. Every pending entry carries the server time of its reservation; one older than
  ``SPAMSIEVE_REDIS_PENDING_TIMEOUT`` seconds is reclaimed (forgotten) by the next reserve
  that meets it and by the sweep every worker runs when it opens the index.

Failures: with ``SPAMSIEVE_REDIS_ON_ERROR = "stop"`` every failed call raises
:class:`DedupeBackendError` (message names ``SPAMSIEVE_REDIS_URL``); with ``"local"`` the
index logs one ERROR, switches to a process-local index for the rest of the crawl and
counts ``spamsieve/dedupe/redis_fallback`` for every item deduped locally.

Not supported: Redis Cluster (the script computes its bucket keys itself).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from pipelines.dedupe.index import DedupeIndex, Match
from pipelines.errors import DedupeBackendError

if TYPE_CHECKING:
    import redis

__all__ = ["DedupeBackendError", "Layout", "RedisIndex", "choose_layout", "connect"]

logger = logging.getLogger(__name__)

FALLBACK_STAT = "spamsieve/dedupe/redis_fallback"
MAX_DISTANCE = 11
_SWEEP_BATCH = 1000


class _Stats(Protocol):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...


@dataclass(frozen=True)
class Layout:
    """How fingerprints are cut for multi-index hashing: ``blocks`` blocks, each probed at
    every value within ``radius`` bits. Finds everything within ``blocks * (radius + 1) - 1``
    bits (pigeonhole)."""

    blocks: int
    radius: int

    def __post_init__(self) -> None:
        # the Lua script enumerates radius 0..2 and handles blocks of up to 22 bits
        if not (3 <= self.blocks <= 16 and 0 <= self.radius <= 2):
            raise ValueError(f"unsupported layout {self.blocks}x{self.radius}: "
                             "3..16 blocks, radius 0..2")

    @property
    def reach(self) -> int:
        return self.blocks * (self.radius + 1) - 1

    def encode(self) -> bytes:
        return f"{self.blocks},{self.radius}".encode()

    @classmethod
    def decode(cls, raw: bytes) -> Layout:
        blocks, radius = raw.decode().split(",")
        return cls(int(blocks), int(radius))

    @classmethod
    def parse(cls, text: str) -> Layout:
        """``"4x1"`` -> 4 blocks probed at radius 1 (the SPAMSIEVE_REDIS_LAYOUT syntax)."""
        try:
            blocks, radius = text.lower().split("x")
            return cls(int(blocks), int(radius))
        except ValueError as exc:
            raise ValueError(f"SPAMSIEVE_REDIS_LAYOUT={text!r}: expected auto or BLOCKSxRADIUS "
                             f"such as 4x1 ({exc})") from None


def choose_layout(distance: int) -> Layout:
    """The layout for a distance, picked by ``python -m pipelines.dedupe.redis_bench``.

    16-bit blocks keep buckets tiny (1.5 records each at 100k articles); probing them at
    radius 1 costs 68 keys (one MGET per block) inside Redis and covers k <= 7. k = 8..9
    needs 5 blocks of 13 bits at radius 1 (70 probes, ~8x fuller buckets); radius 2 on
    16-bit blocks (548 probes) is only used beyond that.

    Those costs grow with the index: each reserve scans about N/1000 stored fingerprints
    with 4x1 (measured: 4 900/s at 100k, 1 400/s at 1M). ``3x2`` (22-bit blocks, 762
    probes, ~N/5500 candidates) slows far less (1 100/s at 1M) at twice the memory, so
    past roughly two million articles (extrapolated) it should win; set it with
    SPAMSIEVE_REDIS_LAYOUT before the first crawl (the layout is fixed when the prefix is
    first used).
    """
    if not 0 <= distance <= MAX_DISTANCE:
        raise ValueError(
            f"SPAMSIEVE_DEDUPE_DISTANCE={distance}: the redis backend supports 0..{MAX_DISTANCE}"
        )
    if distance <= 3:
        return Layout(4, 0)
    if distance <= 7:
        return Layout(4, 1)
    if distance <= 9:
        return Layout(5, 1)
    return Layout(4, 2)


def redact_url(url: str) -> str:
    """The Redis URL without its password, fit for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}:***@{netloc}"
    else:
        netloc = f":***@{netloc}"
    return urlunsplit(parts._replace(netloc=netloc))


def _load_script() -> str:
    return resources.files("pipelines.dedupe").joinpath("redis_index.lua").read_text("utf-8")


def connect(url: str, *, timeout: float = 10.0) -> redis.Redis:
    """A client that fails fast: a dead server must stop (or divert) the crawl in seconds,
    not after redis-py's default minute of retries."""
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url,
        socket_connect_timeout=min(timeout, 5.0),
        socket_timeout=timeout,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 2),
        decode_responses=False,
    )


class RedisIndex:
    """A :class:`~pipelines.dedupe.index.DedupeIndex` shared through Redis."""

    def __init__(
        self,
        client: redis.Redis,
        distance: int,
        *,
        prefix: str = "spamsieve",
        pending_timeout: float = 300.0,
        on_error: str = "stop",
        layout: Layout | None = None,
        stats: _Stats | None = None,
        url: str = "",
    ) -> None:
        if on_error not in ("stop", "local"):
            raise ValueError(f"SPAMSIEVE_REDIS_ON_ERROR={on_error!r}: expected stop or local")
        self.distance = distance
        self.prefix = prefix
        self.pending_timeout = float(pending_timeout)
        self.on_error = on_error
        self.stats = stats
        self.url = url or _client_url(client)
        self._client = client
        self._script = client.register_script(_load_script())
        self._pending: dict[str, bytes] = {}  # key -> 12-byte record, reserved by this process
        self._fallback: DedupeIndex | None = None
        self.fallback_items = 0
        self.layout = layout or choose_layout(distance)
        self._open()

    @classmethod
    def from_settings(
        cls, settings: Any, distance: int, *, stats: _Stats | None = None
    ) -> RedisIndex:
        """Build from Scrapy settings (``SPAMSIEVE_REDIS_*``). Raises
        :class:`DedupeBackendError` when Redis is unreachable and on_error is ``stop``."""
        url = settings.get("SPAMSIEVE_REDIS_URL") or "redis://127.0.0.1:6379/0"
        layout_name = (settings.get("SPAMSIEVE_REDIS_LAYOUT") or "auto").strip()
        layout = None if layout_name == "auto" else Layout.parse(layout_name)
        if layout is not None and layout.reach < distance:
            raise ValueError(f"SPAMSIEVE_REDIS_LAYOUT={layout_name} finds at most "
                             f"{layout.reach} bits, below SPAMSIEVE_DEDUPE_DISTANCE={distance}")
        return cls(
            connect(url),
            distance,
            prefix=settings.get("SPAMSIEVE_REDIS_PREFIX") or "spamsieve",
            pending_timeout=settings.getfloat("SPAMSIEVE_REDIS_PENDING_TIMEOUT", 300.0),
            on_error=settings.get("SPAMSIEVE_REDIS_ON_ERROR") or "stop",
            layout=layout,
            stats=stats,
            url=url,
        )

    # -- DedupeIndex -------------------------------------------------------------------

    def reserve(self, fingerprint: int, key: str) -> Match | None:
        # numpy integers and signed 64-bit simhashes become the plain unsigned int stored
        fingerprint = int(fingerprint) & 0xFFFF_FFFF_FFFF_FFFF
        if self._fallback is None:
            try:
                reply = self._script(
                    args=[
                        "reserve", self.prefix, fingerprint >> 32, fingerprint & 0xFFFFFFFF,
                        self.distance, self.layout.blocks, self.layout.radius,
                        self.pending_timeout, key,
                    ]
                )
            except Exception as exc:
                self._failed("reserve", exc)
            else:
                if int(reply[0]) == 0:
                    self._pending[key] = bytes(reply[1])
                    return None
                record = bytes(reply[1])
                return Match(
                    key=bytes(reply[2]).decode("utf-8", "replace"),
                    fingerprint=int.from_bytes(record[:8], "big"),
                    distance=int(reply[3]),
                )
        self._count_fallback()
        assert self._fallback is not None
        return self._fallback.reserve(fingerprint, key)

    def commit(self, key: str) -> None:
        record = self._pending.pop(key, None)
        if record is None:
            if self._fallback is not None:
                self._fallback.commit(key)
            return
        if self._fallback is not None:
            return  # Redis is gone for us; its pending timeout reclaims the record
        try:
            self._client.zrem(f"{self.prefix}:p", record)
        except Exception as exc:
            self._failed("commit", exc)

    def release(self, key: str) -> None:
        record = self._pending.pop(key, None)
        if record is None:
            if self._fallback is not None:
                self._fallback.release(key)
            return
        if self._fallback is not None:
            return
        try:
            self._script(args=["release", self.prefix, self.layout.blocks, record])
        except Exception as exc:
            self._failed("release", exc)

    def __len__(self) -> int:
        """Fingerprints stored in Redis (pending and committed, every worker's)."""
        if self._fallback is not None:
            return len(self._fallback)
        try:
            return int(self._client.hlen(f"{self.prefix}:r"))
        except Exception as exc:
            self._failed("len", exc)
            return len(self._fallback or ())

    def close(self) -> None:
        """Release what this process still holds as pending (its items never finished),
        then drop the connection. Never raises: closing must not mask the crawl's result."""
        if self._fallback is None:
            for key in list(self._pending):
                try:
                    self.release(key)
                except Exception:  # noqa: BLE001 - best effort; the timeout reclaims them
                    break
        self._pending.clear()
        if self._fallback is not None:
            self._fallback.close()
        try:
            self._client.close()
        except Exception:  # noqa: BLE001
            pass

    # -- maintenance -------------------------------------------------------------------

    def sweep(self) -> int:
        """Reclaim pending entries older than the timeout (their worker died)."""
        total = 0
        while True:
            n = int(
                self._script(
                    args=["sweep", self.prefix, self.layout.blocks, self.pending_timeout,
                          _SWEEP_BATCH]
                )
            )
            total += n
            if n < _SWEEP_BATCH:
                return total

    @property
    def is_fallback(self) -> bool:
        return self._fallback is not None

    # -- internals ---------------------------------------------------------------------

    def _open(self) -> None:
        """Check the server, agree on the layout with the other workers, reclaim stale."""
        try:
            self._client.ping()
            cfg_key = f"{self.prefix}:cfg"
            self._client.set(cfg_key, self.layout.encode(), nx=True)
            stored = Layout.decode(self._client.get(cfg_key) or self.layout.encode())
            if stored.reach < self.distance:
                raise DedupeBackendError(
                    f"the redis dedupe index under prefix {self.prefix!r} was built for "
                    f"distances up to {stored.reach}, but SPAMSIEVE_DEDUPE_DISTANCE is "
                    f"{self.distance}; use another SPAMSIEVE_REDIS_PREFIX or clear it"
                )
            self.layout = stored
            reclaimed = self.sweep()
            if reclaimed:
                logger.warning(
                    "spamsieve: reclaimed %d pending dedupe entries older than %.0fs "
                    "(a worker died before finishing them)", reclaimed, self.pending_timeout,
                )
        except DedupeBackendError:
            raise
        except Exception as exc:
            self._failed("open", exc)

    def _failed(self, operation: str, exc: BaseException) -> None:
        """Turn a Redis failure into the configured behaviour (raise or go local)."""
        import redis

        if isinstance(exc, DedupeBackendError):
            raise exc
        unreachable = isinstance(exc, (redis.ConnectionError, redis.TimeoutError, OSError))
        what = "is unreachable" if unreachable else "failed"
        message = (
            f"Redis dedupe backend {redact_url(self.url)} (SPAMSIEVE_REDIS_URL) {what} "
            f"during {operation}: {exc.__class__.__name__}: {exc}"
        )
        if self.on_error == "stop" or not unreachable:
            raise DedupeBackendError(message) from exc
        if self._fallback is None:
            logger.error(
                "spamsieve: %s. SPAMSIEVE_REDIS_ON_ERROR=local: deduplicating against a "
                "process-local index from now on; copies kept by other workers will not be "
                "recognised (stat %s counts the items)", message, FALLBACK_STAT,
            )
            self._fallback = _local_index(self.distance)

    def _count_fallback(self) -> None:
        self.fallback_items += 1
        if self.stats is not None:
            self.stats.inc_value(FALLBACK_STAT)


def _client_url(client: redis.Redis) -> str:
    kw = client.connection_pool.connection_kwargs
    return f"redis://{kw.get('host', '?')}:{kw.get('port', '?')}/{kw.get('db', 0)}"


def _local_index(distance: int) -> DedupeIndex:
    """The fallback: the project's local index, or a brute-force one if it is missing."""
    try:
        from pipelines.dedupe.local_index import LocalIndex
    except ImportError:
        return _BruteForceIndex(distance)
    return LocalIndex(distance)


class _BruteForceIndex:
    """Minimal in-memory DedupeIndex, only used when ``local_index`` cannot be imported."""

    def __init__(self, distance: int) -> None:
        self.distance = distance
        self._entries: dict[str, int] = {}

    def reserve(self, fingerprint: int, key: str) -> Match | None:
        best: Match | None = None
        for other_key, other in self._entries.items():
            d = (other ^ fingerprint).bit_count()
            if d <= self.distance and (best is None or d < best.distance):
                best = Match(other_key, other, d)
        if best is None:
            self._entries[key] = fingerprint
        return best

    def commit(self, key: str) -> None:
        return None

    def release(self, key: str) -> None:
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)

    def close(self) -> None:
        self._entries.clear()
