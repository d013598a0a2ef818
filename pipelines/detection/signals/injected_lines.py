"""injected_lines: short gambling-promotion lines and ``【brand】`` prefixes inside an article.

Injection networks slip a line or two into a real article (``推荐：X官方网站入口 www…``,
``想赢大奖就来X，每日返水2%``, ``X：www…``) or prefix a paragraph with ``【X】``. Such a
line is short, names a brand-like token (a page brand, or a name + gambling suffix such as
``X88国际``/``X网投``/``X棋牌``) and carries a call to action, money vocabulary or a web
address; a warning (``警惕“注册送彩金”陷阱``) has no brand and is never one. The lines and
prefixes are removed by cleaning, so an article with a minority of them is kept (cleaned);
:func:`promo_share` tells a page that *is* promotion (most of its text) from such an article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import regex

from pipelines.detection.brands import OFFICIAL
from pipelines.detection.signals.hidden_links import gambling_links
from pipelines.detection.signals.mid_sentence_injection import CORPORATE, CORPORATE_FIRST
from pipelines.model import Evidence, Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context, Line

NAME = "injected_lines"
KIND = "structure"
MAX_LINE = 80  # injected promo lines are short; article paragraphs are longer
STRONG_SUFFIX = "娱乐城|贵宾会|棋牌|网投|彩票|博彩"
WEAK_SUFFIX = "娱乐|国际|体育|平台|彩"
BRANDISH = regex.compile(
    rf"(?:\p{{Han}}{{2,4}}|[a-z]{{2,10}})(?P<digits>\d{{1,4}})?(?P<suffix>{STRONG_SUFFIX}|{WEAK_SUFFIX})(?:app)?"
)
# Plain literal alternations run on the stdlib ``re``: the same matches, and a call costs a
# fraction of a ``regex`` call, which counts as these are tried on every candidate line.
SUFFIX = re.compile(rf"{STRONG_SUFFIX}|{WEAK_SUFFIX}")
BRANDISH_REACH = 14  # longest name + number BRANDISH allows before the suffix: 10 + 4
BRANDISH_LONGEST = BRANDISH_REACH + 3 + 3  # + the longest suffix + "app"
SUFFIX_AT = re.compile(rf"(?=(?:{STRONG_SUFFIX}|{WEAK_SUFFIX}))")  # every suffix start, overlaps too
DOMAIN = regex.compile(
    r"(?:https?://|www\.)[\w.-]+|[a-z0-9-]{2,}\.(?:com|net|cc|vip|top|xyz|bet|club|info|org|me|tv|app|co|cn)\b"
)
OFFICIAL_DOMAIN = regex.compile(r"\.(?:gov|edu)(?:\.cn)?\b|gov\.cn")
CALL = re.compile(r"点击|进入|就来|想赢|大奖|秒到账|到账|官方网站|立即|马上")
WARNING = re.compile(r"警方|民警|公安|警惕|谨防|提醒|提示|举报|打击|违法|犯罪|诈骗|陷阱|骗局|不要|切勿|远离")
GAMBLING_MONEY = re.compile(r"彩金|返水|首存|体验金|注册送|派彩|充值|提款|出款|提现|赔率|投注")
SENTENCE_END = re.compile(r"[。！？!?]")
BRACKET = regex.compile(r"^\s*【([^【】\n]{2,16})】")
# the same tag again right after it (【X娱乐】【X娱乐】正文): one removal takes the whole run
REPEATED_BRACKET = regex.compile(r"[ \t\u3000]*【([^【】\n]{2,16})】")
LINE_SCORE = 0.5
BRACKET_SCORE = 0.4
MAX_SCORE = 1.2
# 【X体育】【X彩票】【X国际】 are also outlets' datelines (体育/彩票 desks): only names with a
# number or an unmistakable suffix count alone; the others when the page has other injections
BRACKET_STRONG = "娱乐城|贵宾会|棋牌|网投|博彩"
GAMBLING_LINE_HITS = ("brand", "spam", "suffix", "game", "money")
GAMBLING_LINE_HIT_SET = frozenset(GAMBLING_LINE_HITS)
PROMO_LINES = "injected_lines/promo"  # memo: indexes of the lines is_promo_line() accepts
STRONG_BRANDS = "injected_lines/strong_brands"  # memo: page brands that can be strong tokens
BRANDISH_FOUND = "injected_lines/brandish"  # memo: line text -> brandish_tokens(text)
CUES = "injected_lines/cues"  # memo: line index -> _promo_cues(line)
PROMO_CUE_HITS = frozenset({"money", "spam", "cta"})
MONEY_HITS = frozenset({"money", "spam"})
# compiled once: the module-level regex.* helpers look the pattern up in a cache per call
_DIGIT = regex.compile(r"\d")
OFFICIAL_WORD = re.compile("|".join(map(re.escape, OFFICIAL)))  # any(word in token for word in OFFICIAL)
_OFFICIAL_MARK = "彩" if all("彩" in word for word in OFFICIAL) else ""  # ("": no precheck)
_HAN = regex.compile(r"\p{Han}")
STRONG_SUFFIXES = frozenset(STRONG_SUFFIX.split("|"))  # fullmatching the alternation: a set test
_BRACKET_STRONG = regex.compile(BRACKET_STRONG)


def _official(token: str) -> bool:
    """福利彩票/体彩... names (official lotteries carry no numbers in their names: 发福彩99 does)."""
    # without the character every OFFICIAL word holds (X娱乐, X国际: most tokens) none is there
    return _OFFICIAL_MARK in token and OFFICIAL_WORD.search(token) is not None and not _DIGIT.search(token)


def generic(ctx: Context, brand: str) -> bool:
    """A category word rather than a name: 彩票app, 彩票网站 (no name before the gambling word)."""
    cache: dict[str, bool] = ctx.memo.setdefault("generic", {})  # type: ignore[assignment]
    known = cache.get(brand)
    if known is None:
        known = cache[brand] = _generic(ctx, brand)
    return known


def _generic(ctx: Context, brand: str) -> bool:
    if "suffix" in ctx.lexicon.categories_of(brand):
        return True
    return any(hit.start == 0 and hit.category in ("gamble", "game") for hit in ctx.lexicon.find(brand))


def _brand_tokens(ctx: Context, text: str, known: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """(strong, weak) brand-like tokens in a normalised line (``known``: names other promo
    lines of the page advertise, strong here too)."""
    strong = [brand for brand in _strong_brands(ctx) if brand in text and not _corporate(text, brand)]
    if known:  # (the first pass of injected() knows no names)
        strong.extend(name for name in known if name in text and name not in strong)
    weak: list[str] = []
    for found in _page_brandish_tokens(ctx, text):
        token = found.group()
        if _official(token) or (strong and any(token in brand for brand in strong)):
            continue
        if found.group("digits") or found.group("suffix") in STRONG_SUFFIXES:
            strong.append(token)
        elif _word_ends(ctx, text, found.end()):
            weak.append(token)  # 上海国际电影节 is no 国际 brand: the name must end there
    return strong, weak


def _strong_brands(ctx: Context) -> list[str]:
    """The page brands that are neither official lottery names nor category words, in
    ``ctx.brands`` order: the part of ``_brand_tokens``' test that does not depend on the
    line, made once per page instead of once per brand and candidate line."""
    return ctx.memoised(STRONG_BRANDS, lambda: [brand for brand in ctx.brands
                                                if not _official(brand) and not generic(ctx, brand)])


def _page_brandish_tokens(ctx: Context, text: str) -> list[regex.Match[str]]:
    """:func:`brandish_tokens`, memoised per page: the second pass of :func:`injected`
    (names the promo lines advertise) tests lines the first pass tokenised already."""
    cache: dict[str, list[regex.Match[str]]] = ctx.memo.setdefault(BRANDISH_FOUND, {})  # type: ignore[assignment]
    found = cache.get(text)
    if found is None:
        found = cache[text] = brandish_tokens(text)
    return found


def brandish_tokens(text: str) -> list[regex.Match[str]]:
    """``list(BRANDISH.finditer(text))``, trying the pattern only where a token can start.

    A token's suffix starts at some position where a suffix occurs, and its name and
    number take 2..BRANDISH_REACH characters before it; a token is at most BRANDISH_LONGEST
    characters long. So every match starts in a window ``[q - REACH, q - 2]`` of a suffix
    position ``q``, and searching each window (with the text cut BRANDISH_LONGEST after it,
    which no match at those starts reaches past) finds the same leftmost, non-overlapping
    matches as scanning every character of the line, which cost ~8 us per line.
    """
    windows: list[list[int]] = []
    for at in _suffix_starts(text):
        lo, hi = max(0, at - BRANDISH_REACH), at - 2
        if hi < lo:
            continue
        if windows and lo <= windows[-1][1] + 1:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    tokens: list[regex.Match[str]] = []
    position, size = 0, len(text)
    for lo, hi in windows:
        start = max(lo, position)
        while start <= hi:
            found = BRANDISH.search(text, start, min(size, hi + BRANDISH_LONGEST))
            if found is None or found.start() > hi:
                break
            tokens.append(found)
            position = start = found.end()
    return tokens


def _suffix_starts(text: str) -> list[int]:
    """Every position where a suffix starts, overlapping ones too, in increasing order
    (``SUFFIX_AT``'s matches), from the cheaper non-overlapping scan.

    The scan finds the leftmost suffix from where it is, so the starts it skips lie inside
    a suffix it found; the only suffix character that begins another suffix is 彩 in 博彩
    (in 娱乐城 贵宾会 棋牌 网投 彩票 娱乐 国际 体育 平台 no later character begins one).
    """
    starts: list[int] = []
    for found in SUFFIX.finditer(text):
        starts.append(found.start())
        if found.group() == "博彩":
            starts.append(found.start() + 1)
    return starts


def _corporate(text: str, brand: str) -> bool:
    """Every mention names the company or its hotel (威尼斯人度假村酒店官网), not a gambling site."""
    at = text.find(brand)
    while at >= 0:
        after = text[at + len(brand):at + len(brand) + 4]
        # a CORPORATE match starts with one of CORPORATE_FIRST: test that before the pattern
        if after[:1] not in CORPORATE_FIRST or not CORPORATE.match(after):
            return False
        at = text.find(brand, at + len(brand))
    return True


def _word_ends(ctx: Context, text: str, end: int) -> bool:
    """The token ends a word: punctuation/space/end follows, or a call to action/money word."""
    if end >= len(text) or not _HAN.match(text[end]) or CALL.match(text, end):
        return True
    return any(m.start == 0 and m.category in ("cta", "money") for m in ctx.lexicon.find(text[end:end + 6]))


def _promo_kinds(line: Line, text: str, tokens: list[str], enough: int) -> int:
    """How many kinds of promotion (money, cta, address, call) the line carries outside its
    brand tokens, counted up to ``enough``: callers only ask whether there are one or two,
    and most promo lines have a money word, which needs no cutting out of the tokens."""
    hits = line.field_matches  # only terms and categories are read: no line-relative copies
    kinds = 1 if any(m[3] in MONEY_HITS for m in hits) else 0
    if kinds >= enough:
        return kinds
    rest = text
    for token in sorted(tokens, key=len, reverse=True):
        rest = rest.replace(token, " ")
    if any(m[2] in rest for m in hits if m[3] == "cta"):
        kinds += 1
    if kinds < enough and _has_domain(rest):
        kinds += 1
    if kinds < enough and CALL.search(rest):
        kinds += 1
    return kinds


def is_promo_line(ctx: Context, line: Line, known: frozenset[str] = frozenset()) -> bool:
    """A short line advertising a brand-like token (see the module docstring)."""
    return _promo_line(ctx, line, known) is not None


def _promo_line(ctx: Context, line: Line, known: frozenset[str]) -> list[str] | None:
    """The brand-like tokens the line advertises, None when it is no promo line."""
    text = line.stripped
    if not text or len(text) > MAX_LINE:
        return None
    if not (SUFFIX.search(text) or any(brand in text for brand in ctx.brands)
            or any(name in text for name in known)):
        return None  # no brand-like token (what _brand_tokens looks for): cheap test first
    return _promo_tokens(ctx, line, known)


def _promo_tokens(ctx: Context, line: Line, known: frozenset[str]) -> list[str] | None:
    """:func:`_promo_line` of a short line known to hold a suffix, page brand or known name
    (:func:`injected` selects its lines by those tests already)."""
    if not _promo_cues(ctx, line):
        return None
    text = line.stripped
    strong, weak = _brand_tokens(ctx, text, known)
    if not strong and not weak:
        return None
    if strong:
        return strong + weak if _promo_kinds(line, text, strong + weak, 1) else None
    return weak if GAMBLING_MONEY.search(text) or _promo_kinds(line, text, weak, 2) >= 2 else None


def _promo_cues(ctx: Context, line: Line) -> bool:
    """The tests of :func:`_promo_line` that do not depend on the names it is given: no
    warning or official address, at most one sentence, some promotion cue. Memoised per
    line: the second pass of :func:`injected` asks again about lines the first turned down.
    """
    cache: dict[int, bool] = ctx.memo.setdefault(CUES, {})  # type: ignore[assignment]
    known = cache.get(line.index)
    if known is None:
        known = cache[line.index] = _cues(line)
    return known


def _cues(line: Line) -> bool:
    text = line.stripped
    if WARNING.search(text) or (("gov" in text or "edu" in text) and OFFICIAL_DOMAIN.search(text)):
        return False  # (OFFICIAL_DOMAIN matches hold "gov" or "edu")
    if len(SENTENCE_END.findall(text)) >= 2:
        return False  # several sentences: article prose that mentions a name, not an advert
    # no promotion cue at all (cheap tests first: most lines stop here)
    return any(m[3] in PROMO_CUE_HITS for m in line.field_matches) or bool(CALL.search(text)) \
        or _has_domain(text)


def _has_domain(text: str) -> bool:
    """``DOMAIN.search(text)``, skipped when the text has neither ``.`` nor ``://`` (every
    DOMAIN match holds one of them)."""
    return ("." in text or "://" in text) and DOMAIN.search(text) is not None


def _bracket_candidates(ctx: Context) -> list[tuple[Line, int, int, bool]]:
    """``(line, start, end, strong)`` for ``【name+gambling suffix】`` line prefixes."""
    found: list[tuple[Line, int, int, bool]] = []
    if "【" not in ctx.text.text:
        return found  # no line starts with a 【name】 prefix
    source = ctx.byline.text + "".join(line.norm for line in ctx.content_lines if "来源" in line.norm)
    for line in ctx.content_lines:
        match = BRACKET.match(line.norm)
        if not match:
            continue
        name = match.group(1).strip()
        if name in ctx.brands or name in source or _official(name) or WARNING.search(name):
            continue  # page brands: mid_sentence_injection; the outlet's own dateline: kept
        token = BRANDISH.fullmatch(name)
        if not token:
            continue
        strong = bool(token.group("digits")) or bool(_BRACKET_STRONG.fullmatch(token.group("suffix")))
        strong = strong or ctx.text.text.count(name) >= 2  # the same tag on several paragraphs
        found.append((line, match.start(1) - 1, _repeats_end(line.norm, match.end(), name), strong))
    return found


def _repeats_end(text: str, end: int, name: str) -> int:
    """Where the run of ``【name】`` tags that ends at ``end`` stops: a tag printed twice
    lost only its first copy, and the second cleaning of the kept text removed the other."""
    while (again := REPEATED_BRACKET.match(text, end)) and again.group(1).strip() == name:
        end = again.end()
    return end


def injected(ctx: Context) -> tuple[list[Line], list[tuple[Line, int, int]]]:
    """(promo lines, ``【brand】`` prefix spans as line-relative normalised offsets)."""
    if NAME in ctx.memo:
        return ctx.memo[NAME]  # type: ignore[return-value]
    lines, names = [], set()
    # a promo line is short and names a page brand or a name + gambling suffix (what
    # _promo_line tests first): only such lines are worth the full test, and when the body
    # has none the line objects are not even built
    numbers = _short_lines_holding(ctx, tuple(ctx.brands), SUFFIX.search)
    content = ctx.content_lines if numbers else []
    accepted = set()
    for number in numbers:
        tokens = _promo_tokens(ctx, content[number], frozenset())
        if tokens is not None:
            lines.append(content[number])
            accepted.add(number)
            names.update(tokens)
    # is_promo_line() of every line, for promo_share: the lines that are not candidates
    # are no promo lines
    ctx.memo[PROMO_LINES] = frozenset(line.index for line in lines)
    if names:  # X：www… next to 推荐：X官方网站入口: the page's other promo lines name X too
        known = frozenset(names)
        content = ctx.content_lines
        # a line the first pass turned down can only change its answer if it names one
        lines.extend(content[number] for number in _short_lines_holding(ctx, tuple(known))
                     if number not in accepted and _promo_tokens(ctx, content[number], known) is not None)
        lines.sort(key=lambda line: line.index)
    candidates = _bracket_candidates(ctx)
    corroborated = bool(lines) or any(c[3] for c in candidates) or bool(gambling_links(ctx))
    brackets = [(line, start, end) for line, start, end, strong in candidates if strong or corroborated]
    ctx.memo[NAME] = (lines, brackets)
    return lines, brackets


def _short_lines_holding(ctx: Context, words: tuple[str, ...],
                         search: Callable[[str], object] | None = None) -> list[int]:
    """Positions in ``ctx.content_texts`` of the lines of at most MAX_LINE characters
    that hold one of ``words`` or, when given, where ``search`` finds something.

    Plain loops over the ``(norm, stripped)`` strings: a generator expression per line
    (``any(word in text for word in words)``) cost more than the tests themselves.
    """
    numbers = []
    for number, (_, text) in enumerate(ctx.content_texts):
        if len(text) > MAX_LINE:
            continue
        for word in words:
            if word in text:
                numbers.append(number)
                break
        else:
            if search is not None and search(text):
                numbers.append(number)
    return numbers


def promo_share(ctx: Context, removed: set[int] | None = None) -> float:
    """Share of the body's characters in gambling lines: promo lines, lines cleaning removes
    (``removed``, line indexes) and lines crowded with gambling vocabulary. A page whose
    share is high *is* promotion; an article with a few injected lines has a low share."""
    removed = removed or set()
    if PROMO_LINES not in ctx.memo:
        injected(ctx)
    promo: frozenset[int] = ctx.memo[PROMO_LINES]  # type: ignore[assignment]
    total = gambling = 0
    for line in ctx.content_lines:
        size = len(line.stripped)
        total += size
        if line.index in removed or line.index in promo:
            gambling += size
        elif line.match_count >= 2:
            # body-offset hits: the same categories and lengths as ``line.hits`` gives
            hits = [m for m in line.field_matches if m[3] in GAMBLING_LINE_HIT_SET]
            if len(hits) >= 2 and sum(m.end - m.start for m in hits) * 6 >= size:
                gambling += size
    return gambling / total if total else 0.0


def detect(ctx: Context) -> Reason | None:
    lines, brackets = injected(ctx)
    if not lines and not brackets:
        return None
    evidence: list[Evidence] = [ctx.line_evidence(line, note="injected promo line") for line in lines[:6]]
    evidence.extend(ctx.line_evidence(line, start, end, "【brand】 prefix") for line, start, end in brackets[:4])
    score = LINE_SCORE * len(lines) + BRACKET_SCORE * len(brackets)
    return Reason(NAME, round(min(MAX_SCORE, score), 3), evidence)
