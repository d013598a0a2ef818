"""The detection signals: one small module each, run in this order.

Each module defines ``NAME`` (the word used in evidence, stats and SIGNALS.md), ``KIND``
and ``detect(ctx) -> Reason | None``. ``KIND`` says how legitimate-reporting context
affects it: ``content`` signals (what the body talks about) are discounted when the page
reads like police/court/official-lottery reporting; ``header``, ``structure`` and
``html`` signals (how the page was assembled) are not, because a hijacked header over
police news is still pollution.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.model import Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

SIGNAL_MODULES = (
    "title_stuffing", "header_mismatch", "byline_keyword", "keyword_lines", "meta_lines",
    "headline_markers", "splicing", "footer_lines", "link_cloud", "lexicon_density",
    "unknown_brand", "mid_sentence_injection", "injected_lines", "obfuscation", "url_pattern",
    "hidden_links", "meta_keywords_mismatch", "canonical_mismatch", "cloaking_script",
)


@dataclass(frozen=True)
class Signal:
    name: str
    kind: str
    detect: Callable[[Context], Reason | None]


def load_signals() -> list[Signal]:
    signals = []
    for module_name in SIGNAL_MODULES:
        module = importlib.import_module(f"pipelines.detection.signals.{module_name}")
        signals.append(Signal(module.NAME, module.KIND, module.detect))
    return signals
