"""Finding the gambling brands of *this* page, including ones no lexicon has seen.

New gambling brands appear every week, so the lexicon can never be complete. Two kinds of
structure reveal a brand anyway:

* a token followed by a gambling suffix (``X娱乐城``, ``X贵宾会``, ``X体育app``);
* a short token that plays the roles hijacking gives it: repeated in the title
  (``X_X``), printed as the byline in front of a timestamp (``X2023-01-31 16:05``),
  alone on a body line, or as a footer ``X地图``.

Found brands go into ``ctx.brands`` so every other signal treats them as lexicon brands.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from pipelines.detection.context import Context, FieldView
    from pipelines.detection.lexicon import Match

TITLE_SPLIT = regex.compile(r"[_\-|,，、:：\s—–·/()（）【】\[\]]+")
DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}"
BYLINE_PREFIX = regex.compile(rf"^\s*(\S.{{0,15}}?)\s*{DATE}")
MAP_FOOTER = regex.compile(r"^\s*(\S.{0,15}?)\s*地图\s*$")
LATIN_PREFIX = regex.compile(r"[a-z0-9]{1,12}$")
HAN_PREFIX = regex.compile(r"\p{Han}{2,4}$")
# ``LATIN_PREFIX.search(before) or HAN_PREFIX.search(before)`` in one search
PREFIX = regex.compile(r"[a-z0-9]{1,12}$|\p{Han}{2,4}$")
OFFICIAL = ("福利彩票", "体育彩票", "体彩", "福彩", "中国彩票")
GENERIC_TAIL = regex.compile(r"(?:新闻|资讯|官网|首页|网站|网)$")
WEAK_SUFFIX = regex.compile(r"^(?:\p{Han}{2,4}|[a-z0-9]{2,10})(?:娱乐|国际|体育|彩票|彩|棋牌|电竞|游戏)$")
TITLE_NAME_REPEATS = 3
_DIGIT = regex.compile(r"\d")
NOT_A_BRAND = regex.compile(r"^[\d\W_]+$|^(网站|首页|本站|返回|更多|相关|联系我们)$")


def suffix_tokens(view: FieldView) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, token)`` of prefix+gambling-suffix tokens in a normalised field.

    Memoised on the view (brand discovery and ``mid_sentence_injection`` both ask for the
    body's); a fresh list each call, as callers extend it.
    """
    found = view.memo.get("suffix_tokens")
    if found is None:
        found = view.memo["suffix_tokens"] = _suffix_tokens(view)
    return list(found)  # type: ignore[call-overload]


def _suffix_tokens(view: FieldView) -> list[tuple[int, int, str]]:
    text = view.text
    tokens = []
    for hit in view.hits("suffix"):
        start = hit[0]
        # one search for either prefix: both are anchored at the same end, and the
        # character before it is Latin or Han, never both, so at most one alternative can
        # match and it does so where its own search would (see PREFIX)
        prefix = PREFIX.search(text, max(0, start - 12), start)
        if not prefix:
            continue
        name = prefix.group()
        token = name + hit[2]
        if "彩" in token and any(official in token for official in OFFICIAL):  # all hold 彩
            continue
        tokens.append((start - len(name), hit[1], token))
    return tokens


def promo_tokens(view: FieldView) -> list[tuple[int, int, str]]:
    """Spans of a brand or game term glued to a call to action (投注官网, 彩神app, bet365登录)."""
    tokens: list[tuple[int, int, str]] = []
    by_category = view.by_category()
    ctas = by_category.get("cta")
    if not ctas:
        return tokens
    # anchors by where they end: a cta only looks at the anchors ending right before it
    # (every pair was tried before: quadratic on pages full of both)
    ending: dict[int, list[Match]] = {}
    for category in ("brand", "game"):
        for anchor in by_category.get(category, ()):
            if anchor[1] - anchor[0] >= 2:
                ending.setdefault(anchor[1], []).append(anchor)
    if not ending:
        return tokens
    text = view.text
    get = ending.get
    for cta in ctas:
        start, end = cta[0], cta[1]
        near = get(start)
        before = get(start - 1)
        if near is None:
            if before is None:
                continue
            near = before
        elif before is not None:
            near = near + before
        if len(near) > 1:
            # in the order of ``view.hits("brand", "game")``, i.e. of ``view.matches``:
            # those are sorted tuples, and no two hits are equal
            near = sorted(near)
        for anchor in near:
            tokens.append((anchor[0], end, text[anchor[0]:end]))
    return tokens


def _candidate_roles(ctx: Context) -> dict[str, set[str]]:
    roles: dict[str, set[str]] = defaultdict(set)
    all_parts = [p for p in TITLE_SPLIT.split(ctx.title.text) if p]
    parts = [p for p in all_parts if 2 <= len(p) <= 16]
    seen: set[str] = set()
    for part in parts:
        repeat = part in seen and len(all_parts) <= 4
        roles[part].add("title_repeat" if repeat else "title")
        seen.add(part)
    # X登录 / X官网-X注册-Xapp下载: a name glued to calls to action, once or in every part
    prefixes: dict[str, int] = defaultdict(int)
    for part in parts:
        name = _before_action(ctx, part)
        if name:
            prefixes[name] += 1
    for name, count in prefixes.items():
        roles[name].add("title")
        if count >= 2:
            roles[name].add("title_repeat")
    lines = ctx.content_texts  # (norm, stripped) strings: no Line objects needed here
    byline_texts = [ctx.byline.text] + [norm for norm, _ in lines[:8]]
    for text in byline_texts:
        found = BYLINE_PREFIX.match(text) if _DIGIT.search(text) else None  # a date has digits
        if found and not _DIGIT.search(found.group(1)):
            roles[found.group(1).strip()].add("byline")
    for norm in _lines_containing(ctx.text.text, "地图"):
        footer = MAP_FOOTER.match(norm)
        if footer:
            roles[footer.group(1).strip()].add("map")
    if roles:  # the candidates that are also a whole line (a set: each is marked once anyway;
        # only short lines can be one, so paragraphs are not even hashed)
        for stripped in {stripped for _, stripped in lines if len(stripped) <= 16}.intersection(roles):
            if 2 <= len(stripped):
                roles[stripped].add("alone")
    return roles


def _lines_containing(text: str, word: str) -> list[str]:
    """The lines of ``text`` (unstripped, in order, each once) that contain ``word``.

    Found from the word's occurrences rather than by testing every line: a two-character
    CJK search costs as much on a short line as the per-line call overhead, so one pass
    over the body is several times cheaper than dozens of per-line tests. A line holding
    the word is never blank, so these are the matching ``content_texts`` lines too.
    """
    found = []
    at = _find_word(text, word, 0)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at + len(word))
        if end < 0:
            end = len(text)
        found.append(text[start:end])
        at = _find_word(text, word, end)
    return found


def _find_word(text: str, word: str, start: int) -> int:
    """``text.find(word, start)`` for a word of two or more characters, found from its
    last character: on CJK text str.find is ~8x faster for one character than for two
    (whose search filter tells little CJK apart), and ``地图``'s ``图`` is rare. The first
    occurrence at or after ``start`` ends at the first ``word[-1]`` at or after
    ``start + len(word) - 1`` that completes it."""
    last = word[-1]
    before = len(word) - 1
    at = text.find(last, start + before)
    while at >= 0:
        if text.startswith(word, at - before):
            return at - before
        at = text.find(last, at + 1)
    return -1


def _before_action(ctx: Context, part: str) -> str | None:
    """``X`` when a title part is a name followed only by call-to-action/money words."""
    hits = [m for m in ctx.lexicon.find(part) if m.category in ("cta", "money")]
    if not hits:
        return None
    start = min(m.start for m in hits)
    name = part[:start]
    covered = set()
    for m in hits:
        covered.update(range(m.start, m.end))
    if not 2 <= len(name) <= 16 or any(i not in covered for i in range(start, len(part))):
        return None
    return name


def discover_brands(ctx: Context) -> None:
    """Fill ``ctx.brands`` (brand -> how it was found)."""
    for view in (ctx.title, ctx.byline, ctx.headline, ctx.text):
        if not view.matches:
            continue  # every kind below starts from a lexicon hit (most bylines have none)
        for hit in view.hits("brand"):
            ctx.brands.setdefault(hit.term, set()).add("lexicon")
        for hit in view.hits("spam"):
            ctx.brands.setdefault(hit.term, set()).add("spam")
        for _start, _end, token in suffix_tokens(view):
            ctx.brands.setdefault(token, set()).add("suffix")
        for _start, _end, token in promo_tokens(view):
            ctx.brands.setdefault(token, set()).add("promo")
    name = GENERIC_TAIL.sub("", ctx.title.text.strip())
    if WEAK_SUFFIX.match(name) and ctx.text.text.count(name) >= TITLE_NAME_REPEATS and (
        ctx.text.hits("game", "money", "suffix")
    ):
        ctx.brands.setdefault(name, set()).add("structure:title+repeated")
    for candidate, roles in _candidate_roles(ctx).items():
        if len(roles) < 2:
            continue  # either condition below needs two roles (most title parts have one)
        if NOT_A_BRAND.search(candidate) or len(candidate) > 16:
            continue
        if ctx.lexicon.categories_of(candidate) & {"game", "gamble", "cta", "money", "legit"}:
            continue
        distinctive = roles & {"title_repeat", "byline", "map"}
        gambling = any(brand in candidate for brand in ctx.brands)
        if (len(roles) >= 2 and (distinctive or gambling)) or len(roles) >= 3:
            ctx.brands.setdefault(candidate, set()).add("structure:" + "+".join(sorted(roles)))
