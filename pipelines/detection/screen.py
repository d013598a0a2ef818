"""The quiet-page screen: a page that gives no signal anything to work with is clean.

Why: most pages of a real crawl hold no gambling brand, no gambling term and none of the
hijack templates' marks, yet running all the signals on them still costs. The screen
looks once at what the :class:`Context` already computed (lexicon hits, page brands) and
at a few cheap marks of the text; when it says *quiet*, every signal would have returned
nothing, so :meth:`Detector.score` returns no reasons without running them. The verdict
is then exactly the full analysis' one (``clean``, score 0, no reasons); this is checked
on whole corpora by ``tests/test_detection_fastpath.py``.

Why each condition is enough (a signal that is not listed is run as usual: they only
read the URL, the HTML or the hidden links, or compute a cheap measure exactly):

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
  through.

Changing a signal's preconditions means updating this list; the equivalence test runs
the screen against the full analysis and fails when they disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from pipelines.detection.brands import GENERIC_TAIL, WEAK_SUFFIX
from pipelines.detection.context import GAMBLING

if TYPE_CHECKING:
    from pipelines.detection.context import Context
    from pipelines.detection.signals import Signal

# signals the screen runs as they are: cheap, and independent of the conditions above
RUN_ANYWAY = frozenset({"lexicon_density", "url_pattern", "hidden_links", "canonical_mismatch",
                        "cloaking_script", "injected_lines"})
TITLE_LIST = regex.compile(r"[,，|_]")  # title_stuffing's keyword-list split
MARKS = ("*****", "《", "【")


def quiet(ctx: Context, signals: list[Signal]) -> bool:
    """Whether no signal can fire on this page (see the module docstring)."""
    if ctx.brands:
        return False
    for view in (ctx.title, ctx.headline, ctx.byline, ctx.text, ctx.meta_keywords):
        if view.has(*GAMBLING):
            return False
    text = ctx.text.text
    if any(mark in text for mark in MARKS):
        return False
    title = ctx.title.text
    if title.strip():
        if sum(1 for part in TITLE_LIST.split(title) if part.strip()) >= 5:
            return False
        if WEAK_SUFFIX.match(GENERIC_TAIL.sub("", title.strip())):
            return False
    for signal in signals:
        if signal.name in RUN_ANYWAY:
            reason = signal.detect(ctx)
            if reason is not None and reason.score > 0:
                return False
    return True
