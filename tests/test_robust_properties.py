"""Property-based tests (hypothesis) of the promises every stage makes on *any* input.

* the detector never raises, does not modify its input, and every evidence span is a
  valid slice of the named field of the original document (equal to ``evidence.text``
  when text is given);
* cleaning only deletes: the cleaned text is a subsequence of the original, line by line,
  every action's offsets point at the text it names, and cleaning the cleaned document
  again removes nothing more;
* fingerprints are deterministic and identical in another process;
* accounting: every input ends in exactly one of kept / rejected (Chain, and the Scrapy
  pipelines with the rejected-log extension).
"""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from pathlib import Path

import fuzz_items
import pytest
from crawl_helpers import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.dedupe.fingerprint import Fingerprinter
from pipelines.detection import Detector
from pipelines.model import Document

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=8, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

TOKENS = [
    "澳门新葡京", "威尼斯人", "乐乐彩", "金沙娱乐城", "注册送彩金", "官网", "下载", "彩票", "体彩",
    "澳 门*威-尼.斯人", "【乐乐彩】", "《乐乐彩app下载》", "乐乐彩_乐乐彩", "乐乐彩2023-01-31 16:05",
    "乐乐彩地图", "******", "今天", "市民", "记者从市公安局获悉，", "新闻", "。", "，", " ", "\n",
    "\n\n", "\t", "*", "_", "-", "|", "http://bet88.example/", "casino", "bet", "Macau",
    "警方破获一起网络赌博案", "福利彩票", "开奖结果", "\u3000", "（", "）", "网(wǎng)",
]
token_text = st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=60).map("".join)
documents = st.builds(
    Document,
    url=st.sampled_from(["", "http://news.example.com/a/1.html", "http://bet88.example/x",
                         "http://[::1", "not a url"]),
    title=token_text,
    headline=st.sampled_from(["", "市民出行", "乐乐彩"]),
    byline=token_text,
    text=token_text,
    meta_keywords=st.sampled_from(["", "乐乐彩,澳门", "新闻"]),
)


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector()


def check_evidence(original: Document, verdict) -> None:
    for reason in verdict.reasons:
        for ev in reason.evidence:
            value = getattr(original, ev.field, None)
            if ev.start is None and ev.end is None:
                continue
            assert isinstance(value, str), (reason.name, ev.field)
            assert ev.start is not None and ev.end is not None, (reason.name, ev)
            assert 0 <= ev.start <= ev.end <= len(value), (reason.name, ev, len(value))
            if ev.text:
                assert value[ev.start:ev.end] == ev.text, (reason.name, ev)


def is_subsequence(part: str, whole: str) -> bool:
    it = iter(whole)
    return all(ch in it for ch in part)


def squash(text: str) -> str:
    return " ".join(text.split())


def check_cleaning(original: Document, verdict) -> None:
    for action in verdict.actions:
        value = getattr(original, action.field, None)
        assert isinstance(value, str), action
        if action.start is not None:
            assert 0 <= action.start <= action.end <= len(value), action
            if action.text:
                assert value[action.start:action.end] == action.text, action
    cleaned = verdict.cleaned
    if cleaned is None:
        return
    assert is_subsequence(cleaned.text, original.text), "cleaning added text"
    originals = iter(original.text.split("\n"))
    for line in filter(None, cleaned.text.split("\n")):  # in order, each inside one line
        assert any(is_subsequence(line, candidate) for candidate in originals), line
    if cleaned.title != original.title:  # the recovered headline, or the title minus brands
        title = squash(cleaned.title)        # (whose whitespace runs become one space)
        assert title in squash(original.text) or is_subsequence(title, squash(original.title))


@FAST
@given(doc=documents)
def test_detector_never_raises_and_evidence_slices_the_original(detector: Detector,
                                                               doc: Document) -> None:
    original = copy.deepcopy(doc)
    verdict = detector.analyze(doc)
    assert doc == original, "analyze() modified its input document"
    assert verdict.verdict in ("clean", "cleaned", "rejected")
    check_evidence(original, verdict)
    json.dumps(verdict.to_dict(), ensure_ascii=False)  # what the log/annotation writes


@FAST
@given(doc=documents)
def test_cleaning_only_deletes_and_is_idempotent(detector: Detector, doc: Document) -> None:
    original = copy.deepcopy(doc)
    verdict = detector.analyze(doc)
    check_cleaning(original, verdict)
    if verdict.verdict != "cleaned" or verdict.cleaned is None or verdict.articles[1:]:
        return
    again = detector.analyze(copy.deepcopy(verdict.cleaned))
    removals = [a for a in again.actions if a.action in ("remove_line", "remove_span")]
    assert not removals, [a.to_dict() for a in removals]


@FAST
@given(text=st.text(max_size=400) | token_text)
def test_fingerprint_is_deterministic(text: str) -> None:
    fingerprinter = Fingerprinter(min_features=1)
    first = fingerprinter.fingerprint(text)
    assert first == Fingerprinter(min_features=1).fingerprint(text)
    assert first is None or 0 <= first < 2**64


def test_fingerprints_are_identical_in_another_process() -> None:
    texts = [item["text"] for item in fuzz_items.base_items(25, seed=9)]
    texts += ["乐乐彩" * 50, "Hello world " * 40, "澳 门*威-尼.斯人\n" * 30, "中" * 500]
    here = [Fingerprinter().fingerprint(t) for t in texts]
    code = ("import json,sys\nfrom pipelines.dedupe.fingerprint import Fingerprinter\n"
            "texts=json.load(sys.stdin)\n"
            "print(json.dumps([Fingerprinter().fingerprint(t) for t in texts]))")
    proc = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), cwd=REPO,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == here
    assert sum(fp is not None for fp in here) >= 25


cases = st.sampled_from(["good", *fuzz_items.CASES])
item_lists = st.lists(st.tuples(cases, st.integers(0, 2**32)), min_size=1, max_size=25)


def make_items(specs: list[tuple[str, int]], pool: list[dict]) -> list[dict]:
    items = []
    for index, (case, seed) in enumerate(specs):
        rng = random.Random(seed)
        item = dict(pool[seed % len(pool)])
        if case != "good":
            item = fuzz_items.CASES[case](rng, item)
        item["fuzz_id"] = index
        items.append(item)
    return items


@pytest.fixture(scope="module")
def pool() -> list[dict]:
    return fuzz_items.base_items(12, seed=13)


@SLOW
@given(specs=item_lists)
def test_chain_accounts_for_every_item(specs: list[tuple[str, int]], pool: list[dict]) -> None:
    from pipelines.chain import Chain
    from pipelines.cli import build_parser
    from pipelines.cli.filter import settings_from_args

    args = build_parser().parse_args(["filter", "-"])
    chain = Chain(settings_from_args(args))
    try:
        for item in make_items(specs, pool):
            outcome = chain.process(item)
            assert (outcome.rejected is None) == bool(outcome.kept)
            if outcome.rejected is not None:
                assert outcome.rejected.reason != "internal_error", outcome.rejected
    finally:
        chain.close()
    assert sum(chain.counts.values()) == len(specs)


@SLOW
@given(specs=item_lists)
def test_scrapy_pipelines_account_for_every_item(specs: list[tuple[str, int]], pool: list[dict],
                                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    from pipelines.bench.scrapy_harness import ScrapyChain
    from pipelines.review.reader import read_records

    workdir: Path = tmp_path_factory.mktemp("acct")
    chain = ScrapyChain(workdir, {"SPAMSIEVE_ANNOTATE": False})
    kept = set()
    for item in make_items(specs, pool):
        result = chain.process(item)
        assert result.status != "error", result.exception
        if result.status == "kept":
            kept.add(item["fuzz_id"])
    chain.close()
    logged = [r["item"]["fuzz_id"] for r in read_records([workdir / "rejected.jsonl"])]
    assert len(logged) == len(set(logged))
    assert kept.isdisjoint(logged)
    assert kept | set(logged) == set(range(len(specs)))
    assert chain.stats["spamsieve/accounting/balanced"] == 1
