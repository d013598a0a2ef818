"""The simhash fingerprint: stable, interoperable with the ``simhash`` package, blind to the
ways copying sites alter an article, and unwilling to fingerprint texts too short to mean
anything."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import simhash
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.dedupe.fingerprint import Fingerprinter, hamming, normalize, simhash_of
from pipelines.defaults import DEFAULTS

REPO = Path(__file__).resolve().parents[1]
K = DEFAULTS["SPAMSIEVE_DEDUPE_DISTANCE"]

# A frequent-character pool: random "articles" drawn from it share many n-grams, like
# real Chinese news, so unrelated ones are not trivially far apart.
POOL = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二"
    "理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社"
)


def article(seed: int, lines: int = 12, width: int = 40) -> str:
    rng = random.Random(seed)
    return "\n".join("".join(rng.choice(POOL) for _ in range(width)) + "。" for _ in range(lines))


def test_same_text_same_fingerprint_in_another_process() -> None:
    latin = " ".join(f"word{i % 37}x{i % 11}" for i in range(300))
    texts = [article(1), article(2), latin, article(3, lines=3) + " mixed text " + latin[:400]]
    here = [Fingerprinter().fingerprint(t) for t in texts]
    code = (
        "import json,sys; from pipelines.dedupe.fingerprint import Fingerprinter; "
        "print(json.dumps([Fingerprinter().fingerprint(t) for t in json.load(sys.stdin)]))"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), cwd=REPO,
                         env=env, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == here
    assert all(isinstance(fp, int) and 0 <= fp < 2**64 for fp in here)


def test_values_interoperate_with_the_simhash_package() -> None:
    fper = Fingerprinter()
    fps = [fper.fingerprint(article(seed)) for seed in range(20)]
    rng = np.random.default_rng(0)
    fps += [int(x) for x in rng.integers(0, 2**64 - 1, size=20, dtype=np.uint64)]
    fps.append(2**64 - 1)
    for a, b in zip(fps, fps[1:], strict=False):
        assert simhash.Simhash(a).value == a
        assert simhash.Simhash(a).distance(simhash.Simhash(b)) == hamming(a, b)


def test_simhash_bits_are_the_majority_of_feature_bits() -> None:
    rng = np.random.default_rng(3)
    hashes = rng.integers(0, 2**64 - 1, size=777, dtype=np.uint64)
    ones = np.unpackbits(hashes.view(np.uint8), bitorder="little").reshape(-1, 64).sum(axis=0)
    expected = sum(1 << i for i in range(64) if 2 * ones[i] > hashes.size)
    assert simhash_of(hashes) == expected


@pytest.mark.parametrize("text", ["", "短讯", "今天天气很好。" * 3, "哈哈" * 2000, "ok " * 500])
def test_too_short_or_repetitive_texts_get_no_fingerprint(text: str) -> None:
    # never collapse short texts onto one fingerprint: the caller passes them through
    assert Fingerprinter(min_features=40).fingerprint(text) is None


def test_min_features_is_the_threshold() -> None:
    text = article(5, lines=2, width=30)  # ~60 distinct 4-grams
    assert Fingerprinter(min_features=40).fingerprint(text) is not None
    assert Fingerprinter(min_features=200).fingerprint(text) is None


def test_normalisation_ignores_script_glosses_punctuation_and_width() -> None:
    simplified = "网络发展的数据显示,当前经济运行总体平稳。\n" * 2 + article(7)
    traditional = "網絡發展的數據顯示，當前經濟運行總體平穩。\n" * 2 + article(7)
    glossed = "網(wǎng)絡(luò)發(fā)展的數(shù)據(jù)顯示，當(dāng)前經(jīng)濟運行總體平穩。\n" * 2 + article(7)
    spaced = "网 络 发 展 的 数 据 显 示 ， 当 前 经 济 运 行 总 体 平 稳 ！\n" * 2 + article(7)
    assert normalize(simplified) == normalize(traditional) == normalize(glossed) == normalize(spaced)
    fper = Fingerprinter()
    assert fper.fingerprint(simplified) == fper.fingerprint(traditional) == fper.fingerprint(glossed)


def test_boilerplate_and_short_lines_are_dropped_before_featurising() -> None:
    body = article(11)
    furnished = ("记者 张三\n" + body + "\n责任编辑：李四\n来源：某某日报\n"
                 "扫码关注我们的公众号获取更多资讯\nCopyright © 2024 某某网 版权所有\n分享到：")
    assert normalize(furnished) == normalize(body)
    # a sentence that merely starts with a credit word is article text
    assert "记者从市公安局获悉" in normalize("记者从市公安局获悉，案件已经告破。\n")


def test_copies_are_near_and_different_articles_far() -> None:
    fper = Fingerprinter()
    original = article(21, lines=20)
    lines = original.split("\n")
    copies = {
        "footer": original + "\n本站部分内容来自互联网，如有侵权请联系删除。",
        "truncated": "\n".join(lines[:17]),
        "brand line": "\n".join(lines[:5] + ["澳门精准资料免费提供一肖一码百分百中奖"] + lines[5:]),
    }
    fp = fper.fingerprint(original)
    assert fp is not None
    for name, copy in copies.items():
        assert hamming(fp, fper.fingerprint(copy)) <= K, name
    others = [fper.fingerprint(article(seed, lines=20)) for seed in range(100, 130)]
    assert min(hamming(fp, other) for other in others) > K


def test_word_order_matters_for_latin_text() -> None:
    fper = Fingerprinter()
    words = [f"word{i}" for i in range(120)]
    shuffled = words[:]
    random.Random(0).shuffle(shuffled)
    a, b = fper.fingerprint(" ".join(words)), fper.fingerprint(" ".join(shuffled))
    assert a is not None and b is not None and hamming(a, b) > K


def test_long_texts_are_fingerprinted_from_their_weighted_head() -> None:
    # head weighting: a long article and the same article with a different tail far past
    # the weighted head are the same fingerprint; uniform weighting sees the difference
    head = article(31, lines=60)
    a, b = head + "\n" + article(32, lines=40), head + "\n" + article(33, lines=40)
    assert Fingerprinter().fingerprint(a) == Fingerprinter().fingerprint(b)
    uniform = Fingerprinter(decay=0)
    assert uniform.fingerprint(a) != uniform.fingerprint(b)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_fingerprints_or_is_too_short(text: str) -> None:
    fp = Fingerprinter().fingerprint(text)
    assert fp is None or 0 <= fp < 2**64
