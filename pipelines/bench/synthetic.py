"""Reproducible synthetic corpus of Chinese news pages, clean and gambling-SEO polluted.

Why: the real labelled set (../shared/corpus) has 100 pages -- enough to tune rules, far too
few for throughput, crawl and dedupe benchmarks, and its texts must not be copied into the
repo.  This generator builds any number of pages with exact ground truth from a bundled pool
of original paragraphs (``paragraphs.txt``, written for this project) and reproduces the
pollution patterns seen in the wild:

* ``hijacked_news``: brand in the title (``X_X`` / ``headline_X``) and byline (``X2023-01-31
  16:05``) around a copied article whose real headline sits in the body followed by
  ``******``; brand alone on lines; footer ``X地图``.
* ``spliced``: two unrelated articles glued together under brand lines.
* ``injected_lines``: a clean article with a few gambling lines / ``【brand】`` prefixes.
* ``gambling_promo``: the page itself promotes gambling (注册/充值/官网/下载/入口/彩金/返水).
* clean: ``clean`` news, ``legit_lottery`` (real lottery-welfare reporting),
  ``anti_gambling`` (police/courts/warnings), ``reprint`` (near-duplicate of an earlier
  clean page: other outlet footer, editor line, truncation, a few changed characters).

Brands are composed from syllables + suffixes (娱乐城, 彩票app, 国际, ...) so detectors cannot
pass by memorising a list.  Everything is driven by one ``random.Random(seed)``: same
arguments, same output.

Known limit: the pool has 163 paragraphs (~14k chars), so unrelated pages share some
paragraphs (softened by drawing only 2-5 on-topic paragraphs and per-article city, name,
number and wording substitutions).  Articles are filled from the rest of the pool, but
never with the lottery/anti-gambling paragraphs unless that is their topic: real news
about the weather carries no lottery warnings, and a benchmark whose every page mentions
购彩平台 would measure only the hard-negative path.  Measured on the 422 clean pages of
600 items (seed 0), char 8-gram Jaccard: unrelated pairs median 0.09, p99 0.22, max 0.35;
reprint pairs min 0.59.  Containment (shorter in longer): unrelated p99 0.47, max 0.66;
reprints min 0.85.  Dedupe benchmarks should score against ``truth.dup_of``.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

PATTERNS: tuple[str, ...] = (
    "clean",
    "hijacked_news",
    "spliced",
    "injected_lines",
    "gambling_promo",
    "reprint",
    "legit_lottery",
    "anti_gambling",
)
POLLUTED_PATTERNS: tuple[str, ...] = (
    "hijacked_news",
    "spliced",
    "injected_lines",
    "gambling_promo",
)
POLLUTED_WEIGHTS: tuple[float, ...] = (0.4, 0.2, 0.2, 0.2)
CLEAN_PATTERNS: tuple[str, ...] = ("clean", "legit_lottery", "anti_gambling")
CLEAN_WEIGHTS: tuple[float, ...] = (0.7, 0.15, 0.15)

PARAGRAPHS_FILE = Path(__file__).with_name("paragraphs.txt")
GAMBLING_TOPICS = frozenset({"lottery", "antigambling"})  # pool topics that talk about gambling
NEWS_TOPICS = (
    "economy", "transport", "education", "health", "sport", "weather", "culture",
    "police", "tech", "agriculture", "society", "environment", "tourism", "housing",
    "employment", "justice", "consumer",
)  # fmt: skip
HEADLINES: dict[str, tuple[str, ...]] = {
    "economy": (
        "{city}前三季度工业经济稳中向好",
        "{city}推出新举措缓解小微企业融资难",
        "假日消费市场活力足 {city}商贸销售额增长明显",
    ),
    "transport": (
        "{city}地铁新线月底开通 串联东部居住区",
        "节日出行安全有保障 交警部门增设执勤点",
        "{city}快速路改造完工 通行时间缩短一半",
    ),
    "education": (
        "{city}新增学位2.8万个 新建学校如期启用",
        "课后服务全覆盖 双职工家庭减负",
        "招生专家提醒：填报志愿谨防“内部指标”骗局",
    ),
    "health": (
        "流感高发季来临 专家提醒重点人群尽早接种疫苗",
        "{city}家庭医生签约服务进社区",
        "智慧医院让{city}患者少排队",
    ),
    "sport": (
        "主队逆转取胜 暂升积分榜第三",
        "{city}全民健身运动会开幕 万余群众参赛",
        "三万跑者竞逐{city}马拉松 男女冠军刷新赛会纪录",
    ),
    "weather": (
        "寒潮来袭 北方大部气温将下降8到10摄氏度",
        "强降雨致河流水位上涨 {city}启动防汛应急响应",
        "{city}迎来今冬首场降雪",
    ),
    "culture": (
        "“丝路遗珍”文物特展在{city}开幕",
        "非遗进社区 传统技艺圈粉年轻人",
        "{city}历史街区修缮后重新开放",
    ),
    "police": (
        "{city}警方破获一起电信网络诈骗案",
        "社区民警走访老旧小区 排查安全隐患",
        "夜查酒驾醉驾 {city}交警查处违法行为15起",
    ),
    "tech": ("数字经济博览会新品集中亮相", "{city}5G基站突破2万个", "专家提醒：谨防仿冒钓鱼网站"),
    "agriculture": (
        "秋收正忙 种粮大户喜获丰收",
        "小茶叶做成大产业 山村集体收入破百万",
        "农技专家下田指导小麦播种",
    ),
    "society": (
        "{city}老旧小区改造让居民住得更舒心",
        "“暖心驿站”为新就业形态劳动者遮风挡雨",
        "志愿者教老人用智能手机",
    ),
    "environment": (
        "昔日黑臭水体变身生态公园",
        "{city}空气质量优良天数比例达85%",
        "垃圾分类推行三年 居民分类意识明显增强",
    ),
    "tourism": (
        "{city}古镇国庆迎客流高峰 预约限流保秩序",
        "乡村民宿成周末休闲新去处",
        "冬季旅游持续升温 亲子游成主流",
    ),
    "housing": (
        "{city}今年将筹集保障性租赁住房1.5万套",
        "停工项目复工 购房者悬着的心放下了",
        "“红色物业”破解小区管理难题",
    ),
    "employment": (
        "退役军人专场招聘会提供岗位上千个",
        "人社部门专项检查农民工工资支付",
        "{city}灵活就业人员可在就业地参保",
    ),
    "justice": (
        "“假日法庭”让当事人不误工",
        "高空抛物致人受伤 法院判决赔偿",
        "检察官走进{city}校园讲法治课",
    ),
    "consumer": (
        "消协发布上半年投诉分析 预付式消费居首",
        "{city}市场监管部门检查加油站计量",
        "“双十一”警惕先涨后降",
    ),
    "lottery": (
        "{city}上半年福彩筹集公益金16亿多元",
        "大乐透开出4注一等奖 奖池滚存9.8亿元",
        "彩票公益金助力社区健身设施更新",
        "管理部门提醒：未获准任何机构通过互联网销售彩票",
    ),
    "antigambling": (
        "警方打掉一跨境网络赌博犯罪团伙 抓获56人",
        "警惕“充值返利”陷阱 网络赌博越赌越输",
        "大学生沉迷网络赌博欠下30万网贷",
        "{city}开展反赌宣传进社区",
    ),
}
CITIES = (
    "合肥", "成都", "杭州", "西安", "长沙", "南京", "郑州", "昆明", "济南", "武汉", "福州",
    "南宁", "兰州", "太原", "贵阳",
)  # fmt: skip
CITY_POOL = CITIES + (
    "石家庄", "南昌", "沈阳", "哈尔滨", "长春", "银川", "西宁", "海口", "厦门", "青岛",
    "宁波", "苏州", "无锡", "大连", "洛阳", "桂林", "赣州", "绵阳", "烟台", "温州",
)  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程"
_CITY_RE = re.compile("|".join(CITIES))
_PERSON_RE = re.compile(f"([{SURNAMES}])(女士|先生|大爷|师傅|阿姨)")
WORDING = (
    ("近日", "日前"), ("目前", "当前"), ("提醒", "提示"), ("不少", "许多"), ("明显", "显著"),
    ("相关负责人", "有关负责人"), ("据了解", "记者了解到"), ("今年以来", "年初以来"),
    ("超过", "逾"), ("市民", "居民"),
)  # fmt: skip
OUTLET_KINDS = ("日报", "晚报", "晨报", "新闻网", "广播电视台", "都市报")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建文辉玲红晨宇浩然欣怡子涵思远"

BRAND_SYLLABLES = (
    "乐", "彩", "金", "沙", "博", "银", "河", "皇", "冠", "鑫", "盛", "鼎", "豪", "福", "星",
    "运", "宝", "汇", "亿", "万", "威", "尼", "斯", "永", "利", "凯", "发", "天", "鸿", "赢",
    "通", "旺", "龙", "虎", "凤", "凰", "新", "葡", "京", "澳", "神", "大", "吉", "祥", "顺",
)  # fmt: skip
BRAND_NUMBERS = ("", "", "", "", "8", "88", "365", "500", "99", "188", "777", "9")
BRAND_SUFFIXES = (
    "娱乐城", "彩票app", "国际", "体育", "贵宾会", "棋牌", "娱乐", "彩票", "平台", "彩", "网投",
)  # fmt: skip
GAMES = (
    "百家乐", "北京赛车", "幸运飞艇", "时时彩", "快三", "六合彩", "真人轮盘", "捕鱼达人",
    "德州扑克", "斗地主", "抢庄牛牛", "电子老虎机", "体育滚球",
)  # fmt: skip
PROMO_TEMPLATES = (
    "{b}官网是亚洲领先的线上娱乐平台，提供真人视讯、体育投注、电子游艺和彩票等多种游戏，注册即送{n}元彩金。",
    "新会员首次充值{n}元即可获得{p}%的存款优惠，最高可领{m}元，流水达标即可提现。",
    "{b}每日返水高达{r}%，无上限自动派发，输赢都有回报。",
    "{b}app下载：支持安卓和苹果手机，下载后使用手机号即可快速注册，资金安全有保障。",
    "{b}最新登录入口：{d}，如遇无法访问请联系在线客服获取备用网址。",
    "支持银行卡、支付宝、微信、USDT等多种充值方式，单笔最低{n}元，到账快速。",
    "推荐好友注册并充值，推荐人可获得{n}元奖励，下级投注还可享受{p}%代理佣金。",
    "{g}火爆上线，赔率业内最高，每天{k}期开奖，全天24小时不间断。",
    "{b}是经过海外政府认证的正规博彩公司，信誉第一，提款秒到账。",
    "立即注册{b}账号，完善资料即可领取体验金{n}元，无需充值。",
    "VIP会员等级越高，返水比例越高，生日礼金最高{m}元，晋级彩金天天送。",
    "{b}官方客服全天在线，充值提现遇到任何问题请第一时间联系客服。",
    "热门游戏：{g}、{g2}、{g3}，注册就送，天天有活动。",
    "防劫持官网入口：{d}，请收藏本站最新地址，谨防假冒网站。",
    "今日已有{k}位玩家在{b}提款成功，最高单笔提款{m}元。",
    "问：{b}怎么充值？答：登录后点击“充值”，选择支付方式并输入金额即可，{n}元起充。",
    "问：{b}提现多久到账？答：一般{k}分钟内到账，节假日也不休息。",
    "问：忘记密码怎么办？答：在{b}登录入口点击“找回密码”，或联系客服处理。",
    "{b}{g}玩法介绍：下注简单，一分钟一期，最高赔率1赔{k}。",
    "首存加送{p}%，次存加送{r}%，三存再送{n}元，优惠活动长期有效。",
)
PROMO_HEADINGS = ("{b}简介", "{b}优惠活动", "{b}热门游戏", "常见问题", "{b}下载中心", "最新资讯")
INJECTED_LINES = (
    "{b}注册送{n}元彩金，点击进入官网",
    "推荐：{b}官方网站入口 {d}",
    "{b}app下载-{b}登录入口-{b}充值",
    "想赢大奖就来{b}，每日返水{r}%",
    "{b}：{d}",
)


@dataclass
class _Article:
    """Internal structured article, kept so reprints can be derived from it."""

    url: str
    title: str
    head: list[str]
    body: list[str]
    tail: list[str]
    pattern: str
    label: str
    brand: str | None = None
    dup_of: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.head + self.body + self.tail)


@lru_cache(maxsize=1)
def load_paragraphs() -> dict[str, tuple[str, ...]]:
    """Topic -> paragraphs from the bundled pool (comments and blank lines skipped)."""
    pool: dict[str, list[str]] = {}
    for line in PARAGRAPHS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        topic, para = line.split("\t", 1)
        pool.setdefault(topic.strip(), []).append(para.strip())
    return {k: tuple(v) for k, v in pool.items()}


def make_brand(rng: random.Random) -> str:
    """A plausible, non-listed gambling brand: 2-3 syllables + optional number + suffix."""
    core = "".join(rng.choice(BRAND_SYLLABLES) for _ in range(rng.choice((2, 2, 3))))
    return core + rng.choice(BRAND_NUMBERS) + rng.choice(BRAND_SUFFIXES)


def _domain(rng: random.Random, tld: tuple[str, ...] = (".com", ".net", ".cc", ".vip")) -> str:
    letters = "abcdefghjkmnpqrstwxyz"
    name = "".join(rng.choice(letters) for _ in range(rng.randint(3, 7)))
    return f"www.{name}{rng.choice(('', '88', '365', '8', str(rng.randint(10, 999))))}{rng.choice(tld)}"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _date(rng: random.Random) -> tuple[str, str]:
    y, m, d = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
    return f"{y}-{m:02d}-{d:02d}", f"{rng.randint(6, 23):02d}:{rng.randint(0, 59):02d}"


class _Rewriter:
    """Per-article substitutions (cities, numbers, wording) so articles differ in text."""

    _num = re.compile(r"\d+(?:\.\d+)?(?![\dGg])")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        targets = rng.sample(CITY_POOL, len(CITIES))
        self.cities = dict(zip(CITIES, targets, strict=True))
        self.city = rng.choice(CITY_POOL)
        self.surnames = {c: rng.choice(SURNAMES) for c in SURNAMES}
        self.wording = [pair for pair in WORDING if rng.random() < 0.5]
        self.jitter = rng.random() < 0.7

    def _jitter_number(self, m: re.Match[str]) -> str:
        s = m.group(0)
        if self.rng.random() < 0.5 or len(s) < 2:
            return s
        out = [s[0]] + [c if not c.isdigit() else str(self.rng.randint(0, 9)) for c in s[1:]]
        return "".join(out)

    def __call__(self, text: str) -> str:
        text = _CITY_RE.sub(lambda m: self.cities[m.group(0)], text)  # one pass: no chains
        text = _PERSON_RE.sub(lambda m: self.surnames[m.group(1)] + m.group(2), text)
        for src, dst in self.wording:
            text = text.replace(src, dst)
        if self.jitter:
            text = self._num.sub(self._jitter_number, text)
        return text


def _headline(rng: random.Random, topic: str, rw: _Rewriter) -> str:
    return rng.choice(HEADLINES[topic]).format(city=rw.city)


def _paragraph_stream(rng: random.Random, topics: Sequence[str], rw: _Rewriter) -> Iterator[str]:
    """Paragraphs without repetition: 2-5 from each given topic, then the rest of the pool.

    Why not all of a topic first: with a small pool, two articles on one topic would then
    share most paragraphs and look like duplicates; drawing only a few on-topic paragraphs and
    the rest from the whole pool keeps unrelated pages apart for dedupe benchmarks.
    """
    pool = load_paragraphs()
    seen: set[str] = set()
    lead: list[str] = []
    for topic in topics:
        paras = list(pool.get(topic, ()))
        rng.shuffle(paras)
        lead += paras[: rng.randint(2, 5)]
    # lottery/gambling paragraphs only fill articles on those topics: a weather report
    # padded with "网上购彩平台" warnings is no page a news crawl meets
    rest = [p for t in sorted(pool) if t not in GAMBLING_TOPICS or t in topics for p in pool[t]]
    rng.shuffle(rest)
    for para in lead + rest:
        if para not in seen:
            seen.add(para)
            yield rw(para)


def _fill(stream: Iterator[str], budget: int) -> list[str]:
    out: list[str] = []
    size = 0
    for para in stream:
        if size >= budget:
            break
        out.append(para)
        size += len(para) + 1
    return out


def _fit(art: _Article, lo: int, hi: int, stream: Iterator[str] | None = None) -> _Article:
    """Drop trailing body paragraphs / add more until lo <= len(text) <= hi."""
    while len(art.text) > hi and len(art.body) > 1:
        art.body.pop()
    if len(art.text) > hi:  # a single huge paragraph: cut it
        art.body[-1] = art.body[-1][: max(1, len(art.body[-1]) - (len(art.text) - hi))]
    while len(art.text) < lo and stream is not None:
        nxt = next(stream, None)
        if nxt is None:
            break
        art.body.append(nxt)
        if len(art.text) > hi:
            art.body.pop()
            break
    return art


def _target(rng: random.Random, lo: int, hi: int) -> int:
    """News-like length distribution: most pages short, a long tail up to ``hi``."""
    return int(rng.triangular(lo, hi, lo + (hi - lo) * 0.15))


def _news_parts(rng: random.Random, topic: str, rw: _Rewriter) -> tuple[str, list[str], list[str]]:
    """Headline, byline head and editor tail of a clean news page."""
    headline = _headline(rng, topic, rw)
    day, hm = _date(rng)
    outlet = rng.choice(CITY_POOL) + rng.choice(OUTLET_KINDS)
    byline = rng.choice(
        (f"{day} {hm}　来源：{outlet}", f"来源：{outlet}　{day} {hm}", f"{outlet} {day}")
    )
    tail = [
        rng.choice(
            (f"（责任编辑：{_person(rng)}）", f"编辑：{_person(rng)}", f"[责任编辑:{_person(rng)}]")
        )
    ]
    return headline, [headline, byline], tail


class _Generator:
    """Holds the rng and the originals that reprints can copy."""

    def __init__(self, seed: int, polluted_share: float, duplicate_share: float, lo: int, hi: int):
        if not 0 <= polluted_share <= 1 or not 0 <= duplicate_share <= 1:
            raise ValueError("shares must be in [0, 1]")
        if lo < 200 or hi < lo:
            raise ValueError("need 200 <= min_chars <= max_chars")
        self.rng = random.Random(seed)
        self.polluted_share = polluted_share
        self.duplicate_share = duplicate_share
        self.lo, self.hi = lo, hi
        self.originals: list[_Article] = []
        self.news_sites = [_domain(self.rng, (".com", ".cn", ".com.cn")) for _ in range(40)]
        self.spam_sites = [_domain(self.rng) for _ in range(60)]

    def _url(self, i: int, spam: bool) -> str:
        site = self.rng.choice(self.spam_sites if spam else self.news_sites)
        section = self.rng.choice(("news", "article", "html", "content", "shehui", "finance"))
        return f"https://{site}/{section}/{i:07d}.html"

    def pick_pattern(self) -> str:
        rng = self.rng
        if rng.random() < self.polluted_share:
            return rng.choices(POLLUTED_PATTERNS, POLLUTED_WEIGHTS)[0]
        rest = 1.0 - self.polluted_share
        if self.originals and rest > 0 and rng.random() < min(1.0, self.duplicate_share / rest):
            return "reprint"
        return rng.choices(CLEAN_PATTERNS, CLEAN_WEIGHTS)[0]

    def article(self, i: int) -> _Article:
        pattern = self.pick_pattern()
        art = getattr(self, f"_{pattern}")(i)
        if pattern in CLEAN_PATTERNS:
            self.originals.append(art)
        return art

    # ---- clean patterns -------------------------------------------------------------
    def _news(self, i: int, topics: Sequence[str], pattern: str) -> _Article:
        rng, rw = self.rng, _Rewriter(self.rng)
        _, head, tail = _news_parts(rng, topics[0], rw)
        stream = _paragraph_stream(rng, topics, rw)
        body = _fill(stream, _target(rng, self.lo, self.hi) - len("\n".join(head + tail)))
        art = _Article(self._url(i, False), head[0], head, body, tail, pattern, "clean")
        return _fit(art, self.lo, self.hi, stream)

    def _clean(self, i: int) -> _Article:
        return self._news(i, [self.rng.choice(NEWS_TOPICS)], "clean")

    def _legit_lottery(self, i: int) -> _Article:
        return self._news(i, ["lottery", "society"], "legit_lottery")

    def _anti_gambling(self, i: int) -> _Article:
        return self._news(i, ["antigambling", "police"], "anti_gambling")

    def _reprint(self, i: int) -> _Article:
        rng = self.rng
        src = rng.choice(self.originals)
        head, body, tail = list(src.head), list(src.body), list(src.tail)
        edits = rng.sample(("footer", "editor", "truncate", "chars"), rng.randint(1, 3))
        if "footer" in edits:
            outlet = rng.choice(CITY_POOL) + rng.choice(OUTLET_KINDS)
            tail = [
                rng.choice(
                    (
                        f"本文来源：{outlet}，转载请注明出处。",
                        f"（来源：{outlet}）",
                        "声明：本文转自其他媒体，版权归原作者所有。",
                    )
                )
            ]
        if "editor" in edits:
            head.insert(rng.randint(1, len(head)), f"编辑：{_person(rng)}　校对：{_person(rng)}")
        if "truncate" in edits and len(body) > 3:
            keep = max(2, int(len(body) * rng.uniform(0.7, 0.95)))
            cut = body[:keep]
            if len("\n".join(head + cut + tail)) >= self.lo:
                body = cut
        if "chars" in edits:
            body = [_mutate_chars(rng, p, rng.randint(0, 2)) for p in body]
        art = _Article(
            self._url(i, False), head[0], head, body, tail, "reprint", "clean", dup_of=src.url
        )
        return _fit(art, self.lo, self.hi)

    # ---- polluted patterns ----------------------------------------------------------
    def _hijacked_news(self, i: int) -> _Article:
        rng, rw = self.rng, _Rewriter(self.rng)
        brand = make_brand(rng)
        topic = rng.choice(NEWS_TOPICS + ("lottery", "antigambling"))
        headline, news_head, _ = _news_parts(rng, topic, rw)
        day, hm = _date(rng)
        title = rng.choice(
            (f"{brand}_{brand}", f"{headline}_{brand}", f"{brand}-{brand}官网", f"{brand}({brand})")
        )
        head = [
            title,
            rng.choice((f"{brand}{day} {hm}", f"{brand}{day}", f"{brand} {day} {hm}")),
            f"{headline}******",
        ]
        if rng.random() < 0.4:
            head.append(news_head[1])  # the copied article keeps its original source line
        tail = [f"{brand}地图"] + (
            [rng.choice(("网站地图", f"{brand}官网", f"{brand}注册"))] if rng.random() < 0.5 else []
        )
        stream = _paragraph_stream(rng, [topic], rw)
        body = _fill(stream, _target(rng, self.lo, self.hi) - len("\n".join(head + tail)))
        art = _Article(
            self._url(i, True), title, head, body, tail, "hijacked_news", "polluted", brand
        )
        art = _fit(art, self.lo, self.hi, stream)
        for _ in range(rng.choice((0, 1, 1, 2))):  # brand alone on a line inside the body
            art.body.insert(rng.randint(0, len(art.body)), brand)
        return _fit(art, self.lo, self.hi)

    def _spliced(self, i: int) -> _Article:
        rng, rw = self.rng, _Rewriter(self.rng)
        brand = make_brand(rng)
        t1, t2 = rng.sample(NEWS_TOPICS, 2)
        title = rng.choice(
            (
                f"{brand}-{brand}注册-{brand}平台",
                f"{brand}_{brand}官网",
                f"{brand}{rng.choice(('登录', '下载', '入口'))}",
            )
        )
        head = [title, brand]
        target = _target(rng, self.lo, self.hi) - len(title) - 20
        h1 = _headline(rng, t1, rw)
        h2 = _headline(rng, t2, rw)
        stream = _paragraph_stream(rng, [t1, t2], rw)
        part1 = _fill(stream, target // 2)
        part2 = _fill(stream, target - target // 2)
        body = [h1, *part1, brand, h2, *part2]
        art = _Article(
            self._url(i, True), title, head, body, [f"{brand}地图"], "spliced", "polluted", brand
        )
        return _fit(art, self.lo, self.hi, stream)

    def _injected_lines(self, i: int) -> _Article:
        rng = self.rng
        art = self._news(i, [rng.choice(NEWS_TOPICS)], "injected_lines")
        brand = make_brand(rng)
        art.url, art.label, art.brand = self._url(i, True), "polluted", brand
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.4 and art.body:
                k = rng.randrange(len(art.body))
                art.body[k] = f"【{brand}】{art.body[k]}"
            else:
                line = rng.choice(INJECTED_LINES).format(
                    b=brand,
                    n=rng.choice((18, 38, 88, 188)),
                    d=_domain(rng),
                    r=rng.choice((1.5, 2, 3)),
                )
                art.body.insert(rng.randint(0, len(art.body)), line)
        return _fit(art, self.lo, self.hi)

    def _gambling_promo(self, i: int) -> _Article:
        rng = self.rng
        brand, dom = make_brand(rng), _domain(rng)
        title = rng.choice(
            (
                f"{brand}官网-{brand}注册登录入口-{brand}app下载",
                f"{brand}-{brand}官方网站入口",
                f"{brand}充值_{brand}返水_{brand}彩金",
            )
        )
        target = _target(rng, self.lo, self.hi)
        promo_budget = min(target, rng.randint(700, 2000))
        lines: list[str] = []
        templates = list(PROMO_TEMPLATES)
        rng.shuffle(templates)
        headings = [h.format(b=brand) for h in PROMO_HEADINGS[:-1]]
        size = 0
        while size < promo_budget:
            if not templates:
                templates = list(PROMO_TEMPLATES)
                rng.shuffle(templates)
            if rng.random() < 0.15 and headings:
                lines.append(headings.pop(0))
            g = rng.sample(GAMES, 3)
            line = templates.pop().format(
                b=brand,
                d=dom,
                g=g[0],
                g2=g[1],
                g3=g[2],
                n=rng.choice((10, 18, 38, 58, 88, 100, 188, 288)),
                m=rng.choice((888, 1888, 5888, 8888, 18888, 88888)),
                p=rng.choice((10, 20, 30, 50, 100)),
                r=rng.choice((0.8, 1.0, 1.2, 1.5, 2.0, 3.0)),
                k=rng.randint(3, 999),
            )
            lines.append(line)
            size += len(line) + 1
        rw = _Rewriter(rng)
        stream = _paragraph_stream(rng, [rng.choice(NEWS_TOPICS)], rw)
        news = _fill(stream, max(0, target - size - len(title)))
        body = lines + (["最新资讯", *news] if news else [])
        tail = [f"Copyright © {brand} 版权所有　{dom}", f"{brand}地图"]
        art = _Article(
            self._url(i, True), title, [title], body, tail, "gambling_promo", "polluted", brand
        )
        return _fit(art, self.lo, self.hi, stream)


def _mutate_chars(rng: random.Random, text: str, k: int) -> str:
    """Replace ``k`` CJK characters by other pool characters (a reprint's typo fixes/edits)."""
    chars = list(text)
    idx = [j for j, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"]
    for j in rng.sample(idx, min(k, len(idx))):
        chars[j] = rng.choice(GIVEN)
    return "".join(chars)


def generate(
    n: int,
    *,
    seed: int = 0,
    polluted_share: float = 0.3,
    duplicate_share: float = 0.2,
    min_chars: int = 1000,
    max_chars: int = 6000,
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` reproducible items ``{"url", "title", "text", "truth"}``.

    ``truth`` = ``{"label": "clean"|"polluted", "pattern": one of PATTERNS, "dup_of": url of
    the earlier clean original for reprints else None, "brand": the gambling brand for
    polluted items else None}``.  The text has one paragraph per line and its first line is
    the page title, like the real corpus.  ``polluted_share`` and ``duplicate_share`` are
    expected shares of all items (the first items cannot be reprints, so duplicates run
    slightly under the share for small ``n``).
    """
    gen = _Generator(seed, polluted_share, duplicate_share, min_chars, max_chars)
    for i in range(n):
        art = gen.article(i)
        yield {
            "url": art.url,
            "title": art.title,
            "text": art.text,
            "truth": {
                "label": art.label,
                "pattern": art.pattern,
                "dup_of": art.dup_of,
                "brand": art.brand,
            },
        }


_DATE_LINE = re.compile(r"\d{4}-\d{2}-\d{2}")


def generate_html(item: dict[str, Any]) -> str:
    """Render an item as a realistic news page (header/nav, article h1, byline, p, footer).

    The first text line is the ``<h1>``; a following line carrying a date becomes the byline;
    every other line is a ``<p>``.  Boilerplate (nav, related links, footer) is added around
    the article as real pages have it, so extractors are exercised too.
    """
    esc = html.escape
    lines = [ln for ln in item["text"].split("\n") if ln.strip()]
    h1, rest = (lines[0], lines[1:]) if lines else (item.get("title", ""), [])
    byline = ""
    if rest and _DATE_LINE.search(rest[0]) and len(rest[0]) < 60:
        byline, rest = rest[0], rest[1:]
    paras = "\n".join(f"      <p>{esc(p)}</p>" for p in rest)
    nav = "".join(f'<li><a href="/{s}/">{t}</a></li>' for s, t in (
        ("", "首页"), ("news", "新闻"), ("finance", "财经"), ("sports", "体育"), ("culture", "文化"), ("society", "社会"),
    ))  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>{esc(item.get("title", h1))}</title>
  <link rel="canonical" href="{esc(item["url"])}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
  <header class="site-header"><div class="logo">新闻网</div>
    <nav><ul>{nav}</ul></nav>
  </header>
  <main>
    <article>
      <h1>{esc(h1)}</h1>
      <div class="byline">{esc(byline)}</div>
{paras}
    </article>
    <aside class="related"><h3>相关阅读</h3><ul><li><a href="/news/">更多新闻</a></li></ul></aside>
  </main>
  <footer><p>关于我们 | 联系方式 | 网站地图</p><p>版权所有 未经授权禁止转载</p></footer>
</body>
</html>
"""


def write_jsonl(items: Iterator[dict[str, Any]], out_dir: Path) -> Path:
    """Write ``synthetic.jsonl`` (one item per line) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "synthetic.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def write_html_site(items: Iterator[dict[str, Any]], out_dir: Path, per_index: int = 100) -> Path:
    """Write ``pages/NNNNNNN.html``, index pages of ``per_index`` links and ``truth.jsonl``.

    ``index.html`` is the first index page; ``index-2.html``... follow via "next" links, so a
    crawler started at ``index.html`` reaches every page.  ``truth.jsonl`` maps each local
    file to its item url and truth for scoring a crawl.
    """
    pages_dir = out_dir / "pages"
    pages_dir.mkdir(parents=True, exist_ok=True)
    links: list[tuple[str, str]] = []
    with (out_dir / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for k, item in enumerate(items):
            name = f"pages/{k:07d}.html"
            (out_dir / name).write_text(generate_html(item), encoding="utf-8")
            links.append((name, item["title"]))
            truth.write(
                json.dumps(
                    {
                        "file": name,
                        "url": item["url"],
                        "title": item["title"],
                        "truth": item["truth"],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    chunks = [links[j : j + per_index] for j in range(0, len(links), per_index)] or [[]]
    for c, chunk in enumerate(chunks):
        name = "index.html" if c == 0 else f"index-{c + 1}.html"
        items_html = "\n".join(
            f'    <li><a href="{href}">{html.escape(t)}</a></li>' for href, t in chunk
        )
        nxt = f'<a rel="next" href="index-{c + 2}.html">下一页</a>' if c + 1 < len(chunks) else ""
        (out_dir / name).write_text(
            f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>新闻列表 第{c + 1}页</title></head>\n'
            f"<body>\n  <ul>\n{items_html}\n  </ul>\n  <nav>{nxt}</nav>\n</body></html>\n",
            encoding="utf-8",
        )
    return out_dir / "index.html"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic labelled corpus.")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--polluted-share", type=float, default=0.3)
    parser.add_argument("--duplicate-share", type=float, default=0.2)
    parser.add_argument("--min-chars", type=int, default=1000)
    parser.add_argument("--max-chars", type=int, default=6000)
    parser.add_argument("--html", action="store_true", help="write HTML pages + index.html")
    args = parser.parse_args(argv)
    items = generate(
        args.n, seed=args.seed, polluted_share=args.polluted_share,
        duplicate_share=args.duplicate_share, min_chars=args.min_chars, max_chars=args.max_chars,
    )  # fmt: skip
    path = write_html_site(items, args.out) if args.html else write_jsonl(items, args.out)
    print(f"wrote {args.n} items -> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
