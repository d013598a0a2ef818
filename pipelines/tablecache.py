"""Lookup tables built once per machine, not once per process.

Building the per-codepoint tables of the fingerprint and of detection's case/width
folding costs ~0.1 s, paid by every crawl process and every ``spamsieve`` command. A
verified copy in the user's cache dir loads in ~2 ms. The file is plain little-endian
uint32 data behind a key and a checksum (nothing is unpickled or executed); anything
missing, stale, corrupt or unwritable falls back to building in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import numpy as np


def _opencc_path() -> Path:
    import opencc

    return Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"


_CACHE_MAGIC = b"SSTABLE1"
_DIGEST = 32  # blake2b digest bytes


def cache_dir() -> Path:
    """Where built lookup tables are cached: ``$SPAMSIEVE_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/spamsieve`` or ``~/.cache/spamsieve``."""
    env = os.environ.get("SPAMSIEVE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "spamsieve"


def cached_uint32_table(
    name: str, key_parts: list[bytes], build: Callable[[], np.ndarray], size: int | None = None
) -> np.ndarray:
    """``build()`` (a uint32 array), or the copy a previous process cached for the same
    key. The key covers ``key_parts``, the Unicode data version and opencc's character
    dictionary; the file carries a checksum of its contents. A missing, stale, corrupt or
    wrongly sized file is rebuilt and rewritten; an unwritable cache dir only means
    building in memory every time. The result is read-only when it comes from the cache.
    """
    try:
        h = hashlib.blake2b(digest_size=_DIGEST)
        for part in [*key_parts, unicodedata.unidata_version.encode(), _opencc_path().read_bytes()]:
            h.update(len(part).to_bytes(8, "little") + part)
        key = h.digest()
        path = cache_dir() / f"{name}-{key[:8].hex()}.bin"
    except OSError:
        key, path = b"", None
    if path is not None:
        cached = _read_cache(path, key)
        if cached is not None and (size is None or cached.size == size):
            return cached
    built = np.ascontiguousarray(build(), dtype="<u4")
    if path is not None:
        _write_cache(path, key, built.tobytes())
    return built


def _read_cache(path: Path, key: bytes) -> np.ndarray | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_CACHE_MAGIC) + 2 * _DIGEST
    if len(data) < head or (len(data) - head) % 4 or not data.startswith(_CACHE_MAGIC):
        return None
    stored_key = data[len(_CACHE_MAGIC) : len(_CACHE_MAGIC) + _DIGEST]
    checksum = data[len(_CACHE_MAGIC) + _DIGEST : head]
    payload = memoryview(data)[head:]
    if stored_key != key or hashlib.blake2b(payload, digest_size=_DIGEST).digest() != checksum:
        return None
    return np.frombuffer(payload, dtype="<u4")


def _write_cache(path: Path, key: bytes, payload: bytes) -> None:
    """Best effort, atomic: concurrent readers see the old file or the new, never half."""
    checksum = hashlib.blake2b(payload, digest_size=_DIGEST).digest()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_CACHE_MAGIC + key + checksum + payload)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        pass


