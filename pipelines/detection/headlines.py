"""Where the real article's headline is when a gambling brand took the title.

Hijack networks copy a news article and keep its headline as a body line, usually
followed by a ``******`` marker; spliced pages have several such lines. Header checks,
cleaning (headline recovery) and salvage all need these lines, so they live here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from pipelines.detection.context import Context, Line

MARKER = regex.compile(r"\s*\*{5,}\s*$")
SENTENCE_END = regex.compile(r"[。！？!?;；:：,，]\s*$")
# SENTENCE_END on a stripped line (no trailing whitespace) is a test of its last character
END_CHARS = frozenset("。！？!?;；:：,，")
DATEISH = regex.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}:\d{2}")
# bylines, reporter credits and footers are short unpunctuated lines too, but never a headline
NOT_HEADLINE = regex.compile(
    r"记者|通讯员|编辑|来源|作者|摄影|校对|责编|版权|关于我们|联系我们|网站地图|免责声明|"
    r"举报|备案|icp|copyright|all rights|^\s*[(（\[【].*[)）\]】]\s*$|\s[|｜]\s"
)


def marker_lines(ctx: Context) -> list[Line]:
    """Body lines ending in a ``*****`` headline marker (the copied article's headline)."""
    text = ctx.text.text
    if "*" not in text or "*****" not in text:  # a one-character search is ~3x cheaper
        return []  # most pages: no need to look at the lines
    return [line for line in ctx.content_lines if "*****" in line.norm and MARKER.search(line.norm)]


def strip_marker(text: str) -> str:
    return MARKER.sub("", text).strip()


def looks_like_headline(ctx: Context, line: Line) -> bool:
    """A short line without sentence punctuation, date, gambling brand, byline or footer words."""
    text = strip_marker(line.stripped)
    if not 6 <= len(text) <= 60 or SENTENCE_END.search(text) or DATEISH.search(text):
        return False
    if NOT_HEADLINE.search(text):
        return False
    return not any(brand in text for brand in ctx.brands)


def body_headline(ctx: Context) -> Line | None:
    """The copied article's headline line, if the body shows one."""
    marked = marker_lines(ctx)
    if marked:
        return marked[0]
    for line in ctx.content_lines[:6]:
        if looks_like_headline(ctx, line):
            return line
    return None


TITLE_PARTS = regex.compile(r"\s*[_|｜]\s*|\s+[-—–]\s+|(?<=\p{Han})-(?=\p{Han})")
SITE_SUFFIX_MAX = 12  # the last title part when it is a site name (东江晚报在线)
MIN_TITLE_BIGRAMS = 4
PROSE_LINE = 30
HAN_RUN = regex.compile(r"\p{Han}{2,}")  # compiled once: regex.findall() looks it up per call


def _cjk_bigrams(text: str) -> set[str]:
    """Bigrams of consecutive CJK characters (runs are split by anything else)."""
    grams: set[str] = set()
    for run in HAN_RUN.findall(text):
        grams.update(run[i:i + 2] for i in range(len(run) - 1))
    return grams


def title_body_agreement(ctx: Context) -> tuple[float, int]:
    """(share of the title's own CJK bigrams found in the body, how many there were).

    The site-name suffix (``_东江晚报在线``), brands and gambling vocabulary are cut out of
    the title first: what is left is the headline's own wording. A real headline over its
    article shares most of it with the body; a hijacked ``X_X`` title has nothing left.
    """
    if "agreement" in ctx.memo:
        return ctx.memo["agreement"]  # type: ignore[return-value]
    grams = _title_grams(ctx)
    if not grams:
        result = (0.0, 0)
    else:
        body = _prose(ctx)
        result = (sum(1 for gram in grams if gram in body) / len(grams), len(grams))
    ctx.memo["agreement"] = result
    return result


def _title_grams(ctx: Context) -> list[str]:
    """The title's own CJK bigrams (see :func:`title_body_agreement`), memoised."""
    found = ctx.memo.get("title_grams")
    if found is not None:
        return found  # type: ignore[return-value]
    title = ctx.title.text
    cut = [(m.start, m.end) for m in ctx.title.matches if m.category not in ("legit",)]
    for brand in ctx.brands:
        at = title.find(brand)
        while at >= 0:
            cut.append((at, at + len(brand)))
            at = title.find(brand, at + len(brand))
    chars = list(title)
    for start, end in cut:
        for index in range(start, min(end, len(chars))):
            chars[index] = " "
    parts = [p for p in TITLE_PARTS.split("".join(chars)) if p.strip()]
    if len(parts) >= 2 and len(parts[-1].strip()) <= SITE_SUFFIX_MAX and \
            max(len(p) for p in parts[:-1]) > len(parts[-1].strip()):
        parts = parts[:-1]  # headline_site: the site name is not the headline
    found = ctx.memo["title_grams"] = list(_cjk_bigrams(" ".join(parts)))
    return found


def _prose(ctx: Context) -> str:
    """The body's prose lines, joined: hijack templates repeat the brand title as short
    body lines. From ``content_texts`` (the same strings as ``content_lines``' ``norm`` and
    ``stripped``), so the ``Line`` objects need not be built for this."""
    return "\n".join([norm for norm, stripped in ctx.content_texts
                      if len(stripped) >= PROSE_LINE or stripped[-1:] in END_CHARS])


def title_matches_body(ctx: Context, share: float = 0.5) -> bool:
    """Whether the title reads as this body's own headline (enough of its wording is there)."""
    if "agreement" in ctx.memo:
        agreement, grams = title_body_agreement(ctx)
        return grams >= MIN_TITLE_BIGRAMS and agreement >= share
    # the same answer without always searching the body for every bigram: too few bigrams
    # need no search, and the count stops once ``found / total`` is decided either way
    # (the same float comparison on whole counts, so the same outcome)
    grams = _title_grams(ctx)
    total = len(grams)
    if total < MIN_TITLE_BIGRAMS:
        return False
    body = _prose(ctx)
    found = 0
    for number, gram in enumerate(grams):
        if gram in body:
            found += 1
            if found / total >= share:
                return True
        elif (found + total - number - 1) / total < share:
            return False
    return found / total >= share
