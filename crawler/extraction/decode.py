"""Turn page bytes into text, coping with the encodings Chinese news sites really use.

Why not just trust the declared charset: hijacked and reprint sites often serve GBK pages
with no charset at all, or declare ``gb2312`` while using characters only GB18030 has, and
Big5 bytes decode "successfully" as GBK garbage. So a declared/meta charset is tried first
(strictly), then candidates are scored by how many very common CJK characters they yield.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)

# The GB family is one superset chain; decoding with the widest codec never hurts.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "big5-hkscs": "big5hkscs",
    "x-big5": "big5",
    "utf8": "utf-8",
    "unicode": "utf-8",
}

# Frequent characters of both simplified and traditional Chinese news prose. Mis-decoded
# text (Big5 read as GBK and vice versa) yields rare characters instead, so the count of
# these separates a right decoding from a wrong one.
_COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
    "都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各"
    "重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代"
    "想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接"
    "知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北"
    "造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打"
    "白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今"
    "集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近"
    "矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写"
    "存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听"
    "該們這個時來說國對會發經學動過進還為從見間問關點長開處現體與無產當實後"
)


def normalise_encoding(name: str | None) -> str | None:
    """Map a declared charset to the Python codec we decode it with, or None if unknown."""
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    key = _ALIASES.get(key, key)
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def sniff_meta_charset(body: bytes) -> str | None:
    """The charset named by a ``<meta charset>``/``http-equiv`` tag near the top, if any."""
    match = _META_CHARSET.search(body[:4096])
    if not match:
        return None
    return normalise_encoding(match.group(1).decode("ascii", "ignore"))


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _common_score(text: str) -> int:
    return sum(1 for ch in text if ch in _COMMON)


def decode_html(body: bytes, declared: str | None = None) -> str:
    """Decode page bytes: BOM, then declared charset, then meta charset, then best guess.

    A declared or meta charset is only believed when the bytes decode strictly with it *and*
    no other candidate reads as clearly more natural Chinese (servers lie about charsets).
    Never raises: the last resort is UTF-8 with replacement characters.
    """
    if isinstance(body, str):
        return body
    if not body:
        return ""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace")
    candidates: list[str] = []
    for name in (normalise_encoding(declared), sniff_meta_charset(body)):
        if name and name not in candidates:
            candidates.append(name)
    for name in ("utf-8", "gb18030", "big5"):
        if name not in candidates:
            candidates.append(name)
    decoded = [(name, text) for name in candidates if (text := _strict(body, name)) is not None]
    if not decoded:
        return body.decode(candidates[0] if candidates else "utf-8", "replace")
    if decoded[0][0] == "utf-8":
        return decoded[0][1]  # strict UTF-8 success on non-trivial bytes is almost never wrong
    first_score = _common_score(decoded[0][1])
    best_name, best_text = max(decoded, key=lambda pair: _common_score(pair[1]))
    if _common_score(best_text) > first_score * 2 + 5:
        return best_text
    return decoded[0][1]
