"""Short synthetic pages for the detection tests (invented text, never corpus pages).

Brands here are invented (星耀汇娱乐, 金泰彩票app, 鸿运贵宾会) so the tests exercise
structural detection, not a memorised lexicon.
"""

from __future__ import annotations

from pipelines.model import Document

NEWS = [
    "本报讯 近日，市交通运输局发布通知，今年春运期间将增开公交线路十二条，方便市民出行。",
    "据介绍，新线路覆盖火车站、汽车站和主要商圈，首末班时间根据客流情况灵活调整，并增加夜间班次。",
    "市民可通过官方客户端查询实时到站信息，相关部门提醒乘客错峰出行，注意安全，文明乘车。",
    "交通部门表示，春运期间还将加强站点巡查，对老旧车辆进行检修，确保每一辆车安全上路运行。",
    "不少市民对新线路表示欢迎。家住城东的王女士说，以前去火车站要换乘两次，现在一趟车就能到达。",
]
NEWS2 = [
    "近日，省农业农村厅组织专家深入田间地头，指导农户做好春耕备耕工作，确保粮食生产开好局。",
    "专家们现场讲解了种子选择、土壤改良和病虫害防治等技术要点，并向农户发放技术资料一千余份。",
    "当地农户表示，专家的指导非常及时，今年将扩大优质水稻种植面积，争取实现增产增收的目标。",
]
POLICE = [
    "记者从市公安局获悉，警方近日破获一起开设赌场案，抓获犯罪嫌疑人十二名，涉案金额达三百万元。",
    "经查，犯罪嫌疑人利用境外赌博网站组织赌博活动，以百家乐、老虎机等形式吸引群众参与赌博。",
    "目前，犯罪嫌疑人已被依法刑事拘留，案件正在进一步侦办中。警方提醒，网络赌博是违法犯罪行为。",
    "法院将依法判处相关人员有期徒刑，检察院表示将持续打击涉赌犯罪，广大群众要警惕网络诈骗。",
]
PROMO = [
    "欢迎来到金泰彩票app官网，注册即送彩金，首存优惠高达百分之百，每日返水无上限，立即下载。",
    "平台提供百家乐、老虎机、真人视讯、电子游艺、捕鱼等上百款游戏，玩家充值秒到账，提现极速出款。",
    "您还可以参与体育投注，实时赔率与盘口更新，会员专享红利与体验金，点击注册开户即可开始下注。",
]


def page(title: str, *lines: str, url: str = "", **fields: object) -> Document:
    """A Document with ``lines`` joined as the text."""
    return Document(url=url, title=title, text="\n".join(lines), **fields)  # type: ignore[arg-type]


def hijacked_page(brand: str = "星耀汇娱乐") -> Document:
    """A brand-as-title hijack with byline, marker headlines, spliced article and footer."""
    return page(
        f"{brand}_{brand}",
        f"{brand}2024-03-02 10:15",
        "",
        "市区公交增开十二条春运线路******",
        "",
        *NEWS,
        "",
        brand,
        "",
        "春耕备耕正当时 专家下田来指导******",
        "",
        *NEWS2,
        "",
        f"{brand}地图",
    )


def clean_news() -> Document:
    return page("市区公交增开十二条春运线路_城市新闻网", "市区公交增开十二条春运线路",
                "2024-03-02 10:15 来源：城市新闻网", *NEWS, "相关新闻", "网站地图",
                "Copyright © 2024 城市新闻网 版权所有")


def reasons_of(detector, doc) -> dict:
    """The signals that fired on ``doc``, by name."""
    _, reasons = detector.score(doc)
    return {reason.name: reason for reason in reasons}
