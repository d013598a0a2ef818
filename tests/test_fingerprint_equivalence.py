"""Fingerprints are persisted in users' state dirs and shared via Redis, so speed-ups of
:class:`Fingerprinter` must keep them bit-identical. The digests below were frozen from
the implementation before the speed-ups (and re-frozen with that same implementation
when the synthetic generator stopped padding non-gambling articles with lottery
paragraphs, which changed the generated texts); each covers a few hundred generated texts (and
variants: traditional characters, pinyin glosses, boilerplate lines, short and odd
strings) under one configuration. Also: the cached codepoint table survives a corrupt
cache file and an unwritable cache dir."""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pytest

from pipelines.bench.synthetic import generate
from pipelines.dedupe import fingerprint as fp_module
from pipelines.dedupe.fingerprint import Fingerprinter

GLOSSES = ("(wǎng)", "（fā zhǎn）", "(zhong1)", "( ni3 hao3 )", "(abc")
ODD_POOL = (
    [chr(c) for c in range(0x20, 0x250)]
    + [chr(c) for c in range(0x3000, 0x3100)]
    + [chr(c) for c in range(0x4E00, 0x4F00)]
    + [chr(c) for c in range(0xFF00, 0xFF60)]
    + ["\U00020000", "\U0002a6d6", "\U0010ffff", "\U0001f600", "\ud7a3", "\ufffd", "\ud800"]
    + ["\n"] * 30
)


def texts(seed: int, n: int) -> list[str]:
    """``n`` generated articles plus, per article, variants copying sites produce."""
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    rng = random.Random(seed)
    out: list[str] = []
    for item in generate(n, seed=seed, min_chars=200, max_chars=5000):
        text = item["text"]
        chars = list(text)
        for _ in range(12):
            i = rng.randrange(1, max(2, len(chars)))
            if "\u4e00" <= chars[i - 1] <= "\u9fff":
                chars.insert(i, rng.choice(GLOSSES))
        lines = text.split("\n")
        out += [
            text,
            to_traditional.convert(text),
            "".join(chars),
            "\n".join(lines[: max(1, len(lines) // 3)]),
            "责任编辑：张三\n" + text + "\n版权所有 © Copyright 2023\n扫码关注二维码\n上一篇 下一篇",
            text.upper().replace("。", "．"),
            text[rng.randrange(len(text)) :],
        ]
    for _ in range(n):  # short and odd strings
        size = rng.choice([0, 1, 5, 30, 100, 300, 1000, 3000])
        out.append("".join(rng.choice(ODD_POOL) for _ in range(size)))
    out += ["The quick brown fox jumps over the lazy dog. " * 40, "e\u0301" * 300]
    return out


def digest(fingerprinter: Fingerprinter, corpus: list[str]) -> str:
    h = hashlib.sha256()
    for text in corpus:
        h.update(repr(fingerprinter.fingerprint(text)).encode())
        h.update(fingerprinter.features(text).tobytes())
    return h.hexdigest()[:32]


# (seed, n articles, Fingerprinter kwargs, expected digest of fingerprints and features)
CASES = [
    (11, 60, {}, "96a3b81de74d49823d6081d5653a860f"),
    (12, 40, {"min_features": 48}, "d998d7852ae28c8aa4f749b4f995350b"),
    (13, 30, {"decay": 0}, "04a02c238d2644f201a551924d38f3e6"),
    (14, 30, {"n": 3, "min_features": 5}, "d1c98812398b1242537cc1b53ad9c096"),
    (15, 30, {"min_line_chars": 2, "min_features": 3}, "94841adf7420487ecf891c71f5c2e628"),
]


@pytest.mark.parametrize(("seed", "n", "kwargs", "expected"), CASES)
def test_fingerprints_unchanged(seed: int, n: int, kwargs: dict, expected: str) -> None:
    assert digest(Fingerprinter(**kwargs), texts(seed, n)) == expected


@pytest.fixture
def fresh_table(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """An empty cache dir and no table in memory; restores the process's table after."""
    reference = fp_module._table().copy()
    monkeypatch.setenv("SPAMSIEVE_CACHE_DIR", str(tmp_path / "cache"))
    fp_module._table.cache_clear()
    yield reference, tmp_path / "cache"
    fp_module._table.cache_clear()


def test_table_cache_written_and_reused(fresh_table) -> None:
    reference, cache = fresh_table
    assert np.array_equal(fp_module._table(), reference)
    (cached,) = cache.iterdir()
    fp_module._table.cache_clear()
    assert np.array_equal(fp_module._table(), reference)  # read back from the file
    assert list(cache.iterdir()) == [cached]


def test_corrupt_or_stale_cache_is_rebuilt(fresh_table) -> None:
    reference, cache = fresh_table
    fp_module._table()
    (cached,) = cache.iterdir()
    for damage in (
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # flipped bit: checksum mismatch
        lambda b: b[:100],  # truncated
        lambda b: b"garbage",
        lambda b: b[:8] + bytes(32) + b[40:],  # another key (stale)
    ):
        good = cached.read_bytes()
        cached.write_bytes(damage(good))
        fp_module._table.cache_clear()
        assert np.array_equal(fp_module._table(), reference)
        assert cached.read_bytes() == good  # rewritten


def test_unwritable_cache_dir_builds_in_memory(fresh_table, monkeypatch) -> None:
    reference, cache = fresh_table
    blocker = cache.parent / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("SPAMSIEVE_CACHE_DIR", str(blocker / "cache"))  # mkdir fails
    assert np.array_equal(fp_module._table(), reference)
