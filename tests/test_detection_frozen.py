"""Speed-ups of detection must not change a single verdict: a frozen digest of everything
the detector answers on a few hundred generated pages.

Why a digest: the detector has 19 signals, a quiet-page screen, memoised per-page results
and many exact shortcuts (each argued next to its code); a shortcut that is wrong on a rare
page shape changes an evidence offset or a cleaned text somewhere, and comparing the whole
answer — verdict, score, reasons with evidence, cleaning actions, family, cleaned and
salvaged documents — for every page catches that. The digest was frozen from the
implementation before the performance work of issue #9 (it equals the answers of commit
a95de89); a change that is *meant* to change detection updates it, and says so.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

import pytest

from pipelines.bench.synthetic import generate
from pipelines.detection import Detector
from pipelines.fields import FieldMap
from pipelines.normalize import prepare_document

FROZEN = {
    "reject": "4c8234b4e487d0cf6752d0a73bf03348a38c439afa734efd298a74e7bdfc1b2b",
    "salvage": "a2a50fd83a8398afd45c57ce6ea6cf874adfa21ded73bba374e22f42e4e1387e",
}


def _pages() -> list:
    fieldmap = FieldMap({})
    docs = []
    for seed, low, high, count, cut in ((21, 1000, 6000, 300, None), (22, 4200, 6000, 150, 4000),
                                        (23, 200, 1200, 200, None)):
        for item in generate(count, seed=seed, min_chars=low, max_chars=high):
            item.pop("truth")
            if cut:
                item["text"] = item["text"][:cut]
            docs.append(prepare_document(item, fieldmap))
    return docs


@pytest.mark.parametrize("action", sorted(FROZEN))
def test_detection_answers_are_unchanged(action: str) -> None:
    detector = Detector(polluted_action=action)
    digest = hashlib.sha256()
    for doc in _pages():
        digest.update(json.dumps(asdict(detector.analyze(doc)), ensure_ascii=False,
                                 sort_keys=True).encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    assert digest.hexdigest() == FROZEN[action]
