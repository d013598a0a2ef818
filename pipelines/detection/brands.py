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
OFFICIAL = ("福利彩票", "体育彩票", "体彩", "福彩", "中国彩票")
GENERIC_TAIL = regex.compile(r"(?:新闻|资讯|官网|首页|网站|网)$")
WEAK_SUFFIX = regex.compile(r"^(?:\p{Han}{2,4}|[a-z0-9]{2,10})(?:娱乐|国际|体育|彩票|彩|棋牌|电竞|游戏)$")
TITLE_NAME_REPEATS = 3
_DIGIT = regex.compile(r"\d")
NOT_A_BRAND = regex.compile(r"^[\d\W_]+$|^(网站|首页|本站|返回|更多|相关|联系我们)$")


def suffix_tokens(view: FieldView) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, token)`` of prefix+gambling-suffix tokens in a normalised field."""
    text = view.text
    tokens = []
    for hit in view.hits("suffix"):
        before = text[max(0, hit.start - 12):hit.start]
        prefix = LATIN_PREFIX.search(before) or HAN_PREFIX.search(before)
        if not prefix:
            continue
        token = prefix.group() + hit.term
        if any(official in token for official in OFFICIAL):
            continue
        tokens.append((hit.start - len(prefix.group()), hit.end, token))
    return tokens


def promo_tokens(view: FieldView) -> list[tuple[int, int, str]]:
    """Spans of a brand or game term glued to a call to action (投注官网, 彩神app, bet365登录)."""
    tokens: list[tuple[int, int, str]] = []
    ctas = view.hits("cta")
    if not ctas:
        return tokens
    # anchors by where they end: a cta only looks at the anchors ending right before it
    # (every pair was tried before: quadratic on pages full of both), in the same order
    ending: dict[int, list[tuple[int, Match]]] = {}
    for number, anchor in enumerate(view.hits("brand", "game")):
        if anchor.end - anchor.start >= 2:
            ending.setdefault(anchor.end, []).append((number, anchor))
    if not ending:
        return tokens
    for cta in ctas:
        near = ending.get(cta.start, []) + ending.get(cta.start - 1, [])
        for _number, anchor in sorted(near, key=lambda pair: pair[0]):
            tokens.append((anchor.start, cta.end, view.text[anchor.start:cta.end]))
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
    at = text.find(word)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at + len(word))
        if end < 0:
            end = len(text)
        found.append(text[start:end])
        at = text.find(word, end)
    return found


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
        if NOT_A_BRAND.search(candidate) or len(candidate) > 16:
            continue
        if ctx.lexicon.categories_of(candidate) & {"game", "gamble", "cta", "money", "legit"}:
            continue
        distinctive = roles & {"title_repeat", "byline", "map"}
        gambling = any(brand in candidate for brand in ctx.brands)
        if (len(roles) >= 2 and (distinctive or gambling)) or len(roles) >= 3:
            ctx.brands.setdefault(candidate, set()).add("structure:" + "+".join(sorted(roles)))
