"""The quiet-page screen: a page that gives no signal anything to work with is clean.

Why: most pages of a real crawl hold no gambling brand, no gambling term and none of the
hijack templates' marks, yet running all the signals on them still costs. The screen
looks once at what the :class:`Context` already computed (lexicon hits, page brands) and
at a few cheap marks of the text; when they are all absent, only the few ``RUN_ANYWAY``
signals can fire, so :meth:`Detector.score` runs just those (:func:`screened_signals`).
When none of them fires either the page is *quiet* (:func:`quiet`): no reasons, the
verdict ``clean`` with score 0. Either way the reasons are exactly the full analysis'
ones (a host name like ``bet-news.example`` only adds ``url_pattern``'s); this is
checked on whole corpora by ``tests/test_detection_fastpath.py``.

Why each condition is enough (a signal that is not listed is one of ``RUN_ANYWAY``: they
only read the URL, the HTML or the hidden links, or compute a cheap measure exactly, and
no other signal reads what they find — their memo entries are caches of pure functions):

* no page brand (lexicon, suffix-built, promo or structural): ``byline_keyword``,
  ``keyword_lines``, ``splicing``, ``unknown_brand`` need one;
* no brand/spam/game/suffix hit in any field: ``obfuscation``, ``meta_keywords_mismatch``,
  ``meta_lines``, ``footer_lines``, ``link_cloud`` need one (with no brand), and
  ``title_stuffing`` / ``header_mismatch`` have no brand, tip or game term to find;
* the title is no keyword list (< 5 parts) and no bare ``X娱乐``-style name:
  ``title_stuffing``'s and ``header_mismatch``'s remaining shapes;
* no ``*****`` in the body: ``headline_markers`` (and ``splicing``);
* no ``《`` and no ``【`` in the body: ``mid_sentence_injection``'s quoted app names and
  ``injected_lines``' ``【name】`` prefixes (its in-sentence tokens need a brand or hit);
* ``injected_lines`` is run as it is: without page brands its candidates are the few
  short lines holding a gambling suffix (``体育/平台/彩``... are everyday words too: 体育中心,
  电商平台, 彩灯), so running it costs less than a condition that would let no news page
  through (a whole-body suffix search plus locating each hit's line was measured: twice
  the signal's own cost);
* ``lexicon_density`` is not run when even counting every hit at its largest weight
  (each call to action as if next to a gambling term) stays under its threshold: with no
  page brand and no spam hit (both above) that bound is at least the signal's weighted
  total, so its density is under the threshold too and it returns nothing.

Changing a signal's preconditions means updating this list; the equivalence test runs
the screen against the full analysis and fails when they disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from pipelines.detection.brands import GENERIC_TAIL, WEAK_SUFFIX
from pipelines.detection.context import GAMBLING
from pipelines.detection.signals.lexicon_density import CTA_WEIGHT, THRESHOLD, WEIGHTS

if TYPE_CHECKING:
    from pipelines.detection.context import Context
    from pipelines.detection.signals import Signal

# signals the screen runs as they are: cheap, and independent of the conditions above
RUN_ANYWAY = frozenset({"lexicon_density", "url_pattern", "hidden_links", "canonical_mismatch",
                        "cloaking_script", "injected_lines"})
TITLE_LIST = regex.compile(r"[,，|_]")  # title_stuffing's keyword-list split
MARKS = ("*****", "《", "【")
# lexicon_density's weights, a call to action at the most it can add (next to a term)
BOUND_WEIGHTS = {**WEIGHTS, "cta": CTA_WEIGHT + WEIGHTS.get("cta", 0.0)}


def quiet(ctx: Context, signals: list[Signal]) -> bool:
    """Whether no signal can fire on this page (see the module docstring)."""
    runnable = screened_signals(ctx, signals)
    if runnable is None:
        return False
    for signal in runnable:
        reason = signal.detect(ctx)
        if reason is not None and reason.score > 0:
            return False
    return True


def screened_signals(ctx: Context, signals: list[Signal]) -> list[Signal] | None:
    """The only ``signals`` (in order) that can fire on this page, or None when the
    screen rules none out (see the module docstring for why each condition is enough)."""
    if ctx.brands:
        return None
    for view in (ctx.title, ctx.headline, ctx.byline, ctx.text, ctx.meta_keywords):
        if view.has(*GAMBLING):
            return None
    if _has_mark(ctx.text.text):
        return None
    title = ctx.title.text
    if title.strip():
        if sum(1 for part in TITLE_LIST.split(title) if part.strip()) >= 5:
            return None
        if WEAK_SUFFIX.match(GENERIC_TAIL.sub("", title.strip())):
            return None
    sparse = _density_bound(ctx) < THRESHOLD
    return [signal for signal in signals if signal.name in RUN_ANYWAY
            and not (sparse and signal.name == "lexicon_density")]


def _has_mark(text: str) -> bool:
    """``any(mark in text for mark in MARKS)``: a multi-character CJK/punctuation search
    costs ~10x a single-character one, so ``*****`` is only looked for where a ``*`` is."""
    return "【" in text or "《" in text or ("*" in text and "*****" in text)


def _density_bound(ctx: Context) -> float:
    """An upper bound of ``lexicon_density.weighted_density`` on a page with no page
    brand (see the module docstring): every hit counted at its category's largest weight.
    Weights are multiples of 1/4, so the sums are exact whatever the order."""
    total = 0.0
    for view in (ctx.title, ctx.text):
        for category, found in view.by_category().items():
            total += BOUND_WEIGHTS.get(category, 0.0) * len(found)
    return 1000.0 * total / max(300, len(ctx.title.text) + len(ctx.text.text))
