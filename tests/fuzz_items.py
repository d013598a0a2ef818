"""Seeded generators of bad items, shared by the robustness tests and the fuzz command.

Why a module of its own: the pytest smoke run (a few hundred items) and
``python -m pipelines.bench.fuzz --n 10000`` must push *the same kinds* of broken input
through the chain, and a failure found by the long run must be reproducible from its
seed alone. Every generator takes a ``random.Random`` and a good base item (from
``pipelines.bench.synthetic``) and returns a new item; nothing reads global state.

``CASES`` are cheap mutations (any number of them can run in a fuzz loop);
``HEAVY_CASES`` build multi-megabyte or adversarial inputs and are used a fixed, small
number of times (they exist to bound worst-case time, not to be sampled thousands of times).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from pipelines.bench.synthetic import generate

Item = dict[str, Any]
Mutation = Callable[[random.Random, Item], Item]

TEXT_FIELDS = ("url", "title", "text")
CONTROL_CHARS = [chr(c) for c in range(0, 32)] + ["\x7f", "\u200b", "\u202e", "\ufeff", "\u2028"]
BRANDS = ("澳门新葡京", "威尼斯人", "乐乐彩", "金沙娱乐城", "永利皇宫")
SEPARATED_BRAND = "澳 门*威-尼.斯人"
MB = 1_000_000


def base_items(n: int, seed: int = 0) -> list[Item]:
    """``n`` good synthetic articles (``truth`` removed: items carry only crawl fields)."""
    items = []
    for item in generate(n, seed=seed):
        item.pop("truth", None)
        items.append(item)
    return items


def _pick_field(rng: random.Random) -> str:
    return rng.choice(TEXT_FIELDS)


# -- cheap mutations -------------------------------------------------------------------

def missing_fields(rng: random.Random, item: Item) -> Item:
    keys = [k for k in item if rng.random() < 0.5]
    return {k: item[k] for k in keys}


def none_values(rng: random.Random, item: Item) -> Item:
    out = dict(item)
    for name in rng.sample(TEXT_FIELDS, rng.randint(1, len(TEXT_FIELDS))):
        out[name] = None
    return out


def wrong_types(rng: random.Random, item: Item) -> Item:
    out = dict(item)
    value = rng.choice([
        12345, -0.0, 3.14, float("nan"), float("inf"), True, False, 10**40,
        {"a": "b"}, {"nested": {"deep": [1, 2]}}, set(), object(),
        [item.get("text", "")], ["第一段", None, "第二段"], ["x", 1, 2.5], [["a"], ["b"]],
        [{"a": 1}], [b"\xff\xfe"], (), [],
    ])
    out[_pick_field(rng)] = value
    return out


def bytes_values(rng: random.Random, item: Item) -> Item:
    out = dict(item)
    name = _pick_field(rng)
    value = str(out.get(name) or "澳门新葡京注册送彩金")
    encoding = rng.choice(["utf-8", "gbk", "gb18030", "big5", "utf-16", "latin-1"])
    out[name] = value.encode(encoding, "replace")
    return out


def garbage_bytes(rng: random.Random, item: Item) -> Item:
    out = dict(item)
    out[_pick_field(rng)] = rng.randbytes(rng.choice([1, 17, 600, 5000]))
    return out


def empty_page(rng: random.Random, item: Item) -> Item:
    out = dict(item)
    out["text"] = rng.choice(["", " ", "\n\n\n", "\t \u3000 \n", "\u200b\u200b"])
    if rng.random() < 0.5:
        out["html"] = rng.choice(["", "   ", "<html></html>", "<html><body></body></html>"])
    return out


def binary_text(rng: random.Random, item: Item) -> Item:
    out = dict(item)
    alphabet = "\ufffd\ue000\ue123\uf8ff\x00\x01\x02"
    out["text"] = "".join(rng.choice(alphabet) for _ in range(rng.randint(50, 3000)))
    return out


def mojibake(rng: random.Random, item: Item) -> Item:
    """GBK (or UTF-8) bytes decoded as Latin-1: the classic crawler encoding bug."""
    out = dict(item)
    encoding = rng.choice(["gbk", "utf-8"])
    for name in ("title", "text"):
        value = out.get(name)
        if isinstance(value, str):
            out[name] = value.encode(encoding, "replace").decode("latin-1")
    return out


def control_chars(rng: random.Random, item: Item) -> Item:
    out = dict(item)
    for name in TEXT_FIELDS:
        value = str(out.get(name) or "")
        chars = list(value)
        for _ in range(rng.randint(1, 40)):
            chars.insert(rng.randint(0, len(chars)), rng.choice(CONTROL_CHARS))
        out[name] = "".join(chars)
    return out


def lone_surrogates(rng: random.Random, item: Item) -> Item:
    out = dict(item)
    for name in rng.sample(TEXT_FIELDS, rng.randint(1, 3)):
        value = str(out.get(name) or "")
        at = rng.randint(0, len(value))
        surrogate = chr(rng.randint(0xD800, 0xDFFF))
        out[name] = value[:at] + surrogate + value[at:]
    return out


def unread_fields(rng: random.Random, item: Item) -> Item:
    """Fields spamsieve does not read, holding what a JSON feed cannot write as it is."""
    out = dict(item)
    values = ["tag\udc80", "\ud800", b"ok\xe4\xb8\xad",
              bytes(range(256)), {"nested": ["fine", "x\udfff"]}, ("a", b"b")]
    for number in range(rng.randint(1, 3)):
        out[f"extra_{number}"] = rng.choice(values)
    return out


def html_only(rng: random.Random, item: Item) -> Item:
    """No text; an HTML page, often malformed (unclosed, misnested, truncated tags)."""
    out = {k: v for k, v in item.items() if k != "text"}
    paragraphs = str(item.get("text") or "").split("\n")
    body = "".join(
        rng.choice(["<p>{}</p>", "<p>{}", "<div><span>{}</div></span>", "<td>{}</tr>",
                    "<p>{}<!-- unterminated", "<b><i>{}</b>"]).format(p)
        for p in paragraphs
    )
    page = f"<html><head><title>{item.get('title', '')}</title></head><body><article>{body}"
    page = page[: rng.randint(len(page) // 2, len(page))] if rng.random() < 0.3 else page
    out["html"] = page.encode("utf-8", "surrogatepass") if rng.random() < 0.2 else page
    return out


def nested_html(rng: random.Random, item: Item) -> Item:
    depth = rng.choice([500, 2000, 5000])
    tag = rng.choice(["div", "span", "table", "b", "font"])
    text = str(item.get("text") or "")[:300]
    out = {k: v for k, v in item.items() if k != "text"}
    out["html"] = f"<{tag}>" * depth + text + f"</{tag}>" * rng.randint(0, depth)
    return out


def weird_urls(rng: random.Random, item: Item) -> Item:
    out = dict(item)
    out["url"] = rng.choice([
        "", "not a url", "javascript:alert(1)", "http://", "http://[::1", "http://exa mple.com/x",
        "http://" + "a" * 5000 + ".com/", "file:///etc/passwd", "http://例子.测试/路径?q=澳门",
        "http://x/\x00\x01", 42, None, b"http://bytes.example.com/",
    ])
    return out


def bad_links(rng: random.Random, item: Item) -> Item:
    out = dict(item)
    out["hidden_links"] = rng.choice([
        "http://a.example/", 7, None, [1, None, "x"], [{"url": None}, {"text": b"\xff"}],
        [{1: 2}], {"url": "x"},
    ])
    out["meta_keywords"] = rng.choice([None, ["澳门", "威尼斯人"], {"k": "v"}, b"\xff\xfe", 3])
    return out


def brand_stuffing(rng: random.Random, item: Item) -> Item:
    """Moderate adversarial text (tens of KB) that keeps detectors busy."""
    out = dict(item)
    token = rng.choice(BRANDS + (SEPARATED_BRAND, "*" * 50, "注册送彩金"))
    joiner = rng.choice(["", " ", "\n", "_", "*"])
    out["text"] = joiner.join([token] * rng.randint(100, 3000))
    return out


def mixed(rng: random.Random, item: Item) -> Item:
    for mutation in rng.sample(list(CASES.values())[:-1], 3):
        item = mutation(rng, item)
    return item


CASES: dict[str, Mutation] = {
    "missing_fields": missing_fields,
    "none_values": none_values,
    "wrong_types": wrong_types,
    "bytes_values": bytes_values,
    "garbage_bytes": garbage_bytes,
    "empty_page": empty_page,
    "binary_text": binary_text,
    "mojibake": mojibake,
    "control_chars": control_chars,
    "lone_surrogates": lone_surrogates,
    "unread_fields": unread_fields,
    "html_only": html_only,
    "nested_html": nested_html,
    "weird_urls": weird_urls,
    "bad_links": bad_links,
    "brand_stuffing": brand_stuffing,
    "mixed": mixed,  # keep last: it samples the others
}


# -- heavy / adversarial inputs (a fixed handful per run) ------------------------------

def heavy_items() -> Iterator[tuple[str, Item]]:
    """Multi-megabyte and adversarial items: each must finish within a bounded time and
    end kept or rejected with a clear reason."""
    para = "市政府今天召开新闻发布会，介绍今年城市交通建设的最新进展和下一步计划。"
    yield "huge_body_10mb", {"url": "http://heavy.example/10mb", "title": "大文件",
                             "text": (para + "\n") * (10 * MB // (len(para.encode()) + 1))}
    yield "huge_html_10mb", {"url": "http://heavy.example/10mb-html",
                             "html": "<html><body>" + f"<p>{para}</p>" * (10 * MB // 120)
                             + "</body></html>"}
    yield "one_line_1mb", {"url": "http://heavy.example/line", "title": "长行",
                           "text": (para * (MB // len(para)))[: MB - 10]}
    yield "stars_100k", {"url": "http://heavy.example/stars", "title": "星号", "text": "*" * 100_000}
    yield "one_cjk_char_1mb", {"url": "http://heavy.example/cjk", "title": "中",
                               "text": "中" * (MB - 10)}
    yield "brand_repeat", {"url": "http://heavy.example/brand", "title": "澳门新葡京_澳门新葡京",
                           "text": "澳门新葡京" * 40_000}
    yield "brand_lines", {"url": "http://heavy.example/brand-lines", "title": "乐乐彩",
                          "text": "\n".join(["乐乐彩"] * 50_000)}
    yield "separator_brand", {"url": "http://heavy.example/sep", "title": SEPARATED_BRAND,
                              "text": SEPARATED_BRAND * 20_000}
    yield "separator_sentences", {
        "url": "http://heavy.example/sep-sentences", "title": "新闻",
        "text": "\n".join([f"据报道，{SEPARATED_BRAND}今日在本市举行发布会，{BRANDS[0]}也参加了活动。"]
                          * 10_000),
    }
    yield "deep_html_100k", {"url": "http://heavy.example/deep",
                             "html": "<div>" * 100_000 + para + "</div>" * 100_000}
    yield "unclosed_html_200k", {"url": "http://heavy.example/unclosed",
                                 "html": "<html><body>" + ("<p><b><i>" + para) * 20_000}


# -- streams ---------------------------------------------------------------------------

def fuzz_stream(n: int, seed: int, *, good_share: float = 0.25,
                base_pool: int = 200) -> Iterator[tuple[str, Item]]:
    """``n`` (case name, item) pairs, reproducible from ``seed``: a share of good synthetic
    items, the rest cheap mutations of them (heavy cases are not included)."""
    rng = random.Random(seed)
    pool = base_items(base_pool, seed=seed)
    names = list(CASES)
    for index in range(n):
        base = dict(pool[rng.randrange(len(pool))])
        base["url"] = f"{base['url']}?fuzz={index}"  # distinct urls: accounting by url
        if rng.random() < good_share:
            yield "good", base
            continue
        name = rng.choice(names)
        yield name, CASES[name](rng, base)
