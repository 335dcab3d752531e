"""Synthetic labelled Chinese messages for tests and benchmarks (seeded, reproducible).

Each message is built from the catalogue's own categories (wenming/cases/data/categories.yaml):
an opener × a place of 青山区 × the category's object (its name or one of its keywords) × a
problem phrase of its major class × how long it has lasted × a request. Some categories also
have hand-written sentences. Two disjoint phrasing sets (`train` and `heldout`) let a test
train on one and check that the model still finds the category in the other's wording.

A sample's labels are the category key ("kind:code") and the unit code the demo routing hints
give (a street office for `streets` hints, by the place's street).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from wenming.org.demo_city import DETAILED_DISTRICT, STREETS

CATALOGUE = Path(__file__).resolve().parents[1] / "cases" / "data" / "categories.yaml"

OPENERS = {
    "train": [
        "你好，我想反映一下，",
        "市民来电反映：",
        "本人住在附近，",
        "",
        "我要投诉，",
        "您好，",
    ],
    "heldout": ["来电人称，", "群众通过随手拍反映，", "路过时发现，", "请帮忙看一下，"],
}
DURATIONS = {
    "train": ["已经好几天了", "一个多星期了", "从昨天开始就这样", "持续很久了", ""],
    "heldout": ["快半个月了", "今天早上发现的", "反映过好几次了"],
}
REQUESTS = {
    "train": ["希望相关部门尽快处理。", "请派人来看看。", "麻烦管一管。", "盼早日解决！", ""],
    "heldout": ["望有关单位督促整改。", "请尽快安排人员处置，谢谢。", "恳请领导重视。"],
}
PLACES = [
    "{community}{n}号楼",
    "{street}和{community}交叉口",
    "{community}北门",
    "{street}{n}号商铺门前",
    "{community}小区{n}栋{m}单元",
    "{street}公交站旁",
    "{community}菜市场附近",
]
# Problem phrases by (kind, major class code): how citizens describe what is wrong.
PROBLEMS: dict[tuple[str, str], list[str]] = {
    ("component", "01"): ["丢了", "坏了", "松动了，车一过就响", "破损严重", "不见了，很危险"],
    ("component", "02"): ["坏了", "被撞歪了", "看不清楚", "损坏没人修", "倒在路边"],
    ("component", "03"): ["脏得不行", "坏了没人管", "破旧不堪", "长期无人维护", "有安全隐患"],
    ("component", "04"): ["枯死了", "缺了好几棵", "长得太乱挡住路", "被人破坏了"],
    ("component", "05"): ["出现裂缝", "有东西往下掉", "漏水严重", "有安全隐患"],
    ("component", "06"): ["坏了", "没人维护", "破损", "已经不能用了"],
    ("event", "01"): ["没人清理", "堆了很多", "臭气熏天", "脏乱差", "影响环境"],
    ("event", "02"): ["到处都是", "贴得满墙都是", "乱挂乱贴", "影响市容"],
    ("event", "03"): ["尘土飞扬", "没有任何防护", "很不规范", "影响通行"],
    ("event", "04"): ["很危险", "车辆无法通行", "行人差点摔倒", "情况紧急"],
    ("event", "05"): ["占了整条人行道", "天天都这样", "行人只能走机动车道", "乱七八糟"],
    ("event", "06"): ["影响很不好", "屡禁不止", "没人管", "邻居意见很大"],
    ("event", "07"): ["脏乱不堪", "一点都不规范", "顾客意见很大", "监管不到位"],
    ("event", "08"): ["让人很不放心", "卫生条件很差", "担心吃坏肚子", "没有任何证照"],
    ("event", "09"): ["没人管", "物业也不处理", "居民意见很大", "存在安全隐患"],
    ("event", "10"): ["吵得睡不着觉", "每天晚上都很吵", "噪音特别大", "严重扰民"],
    ("event", "11"): ["数量太少", "破破烂烂", "内容过时了", "有错别字"],
    ("event", "12"): ["一直没解决", "家里老人孩子受不了", "打电话也没人管", "影响正常生活"],
    ("event", "13"): ["想了解一下", "提个建议", "特别感谢", "希望能回复"],
}
# Hand-written sentences for frequent categories (the object and problem in natural order).
SENTENCES: dict[str, list[str]] = {
    "event:0101": ["路边有一大堆生活垃圾没人收", "垃圾扔得满地都是"],
    "event:0504": ["好多私家车停在人行道上", "有车长期占用消防通道"],
    "event:0501": ["饭店把桌子摆到店外面经营", "水果店把货摊摆到了人行道上"],
    "event:1003": ["晚上跳广场舞的音响开得太大", "广场舞音乐声太大"],
    "event:1201": ["家里暖气不热，室温只有十几度", "供暖温度一直不达标"],
    "event:1001": ["工地晚上十一点还在施工", "夜间施工噪音太大"],
    "event:0107": ["楼下饭店的油烟直接往居民楼排", "烧烤店油烟呛得开不了窗"],
    "component:0108": ["路灯晚上不亮，黑乎乎的", "一排路灯都坏了"],
    "event:0902": ["楼道里堆满了杂物和电动车", "有人在楼道里飞线充电"],
    "event:0201": ["墙上贴满了办证的小广告", "电线杆上全是牛皮癣"],
    "component:0205": ["路面上有个大坑", "人行道砖碎了好多"],
    "event:1303": ["感谢社区工作人员帮忙解决了问题", "要表扬环卫工人"],
    "event:1301": ["想咨询一下办居住证需要什么材料", "请问低保怎么申请"],
}


@dataclass(frozen=True)
class Sample:
    title: str
    description: str
    category: str  # "kind:code"
    unit: str  # unit code
    region_codes: tuple[str, ...]  # the street and the district

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}"


@dataclass(frozen=True)
class _Category:
    key: str
    name: str
    words: tuple[str, ...]
    problems: tuple[str, ...]
    city_unit: str
    streets: bool


def _unit_hints(major: dict[str, Any], minor: dict[str, Any]) -> tuple[str, bool]:
    units = minor.get("units") or major.get("units") or {}
    city = units.get("city") or (major.get("units") or {}).get("city") or "BT-CGZF"
    return city, bool(units.get("streets"))


@cache
def categories() -> tuple[_Category, ...]:
    """The catalogue's minor classes with what the generator needs of them."""
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))["categories"]
    found = []
    for major in data:
        kind = major["kind"]
        for minor in major.get("children") or []:
            words = tuple(w for w in (minor.get("keywords") or "").split() if len(w) > 1)
            city, streets = _unit_hints(major, minor)
            found.append(
                _Category(
                    key=f"{kind}:{minor['code']}",
                    name=minor["name"],
                    words=(minor["name"], *words),
                    problems=tuple(PROBLEMS.get((kind, major["code"]), ["需要处理"])),
                    city_unit=city,
                    streets=streets,
                )
            )
    return tuple(found)


def _street(rng: random.Random) -> tuple[str, str, str]:
    index = rng.randrange(len(STREETS))
    name, communities = STREETS[index]
    code = f"{DETAILED_DISTRICT[:6]}{index + 1:03d}000"
    return code, name, rng.choice(communities)


def sample(rng: random.Random, category: _Category, phrasing: str = "train") -> Sample:
    """One message of a category in the given phrasing set."""
    street_code, street, community = _street(rng)
    place = rng.choice(PLACES).format(
        street=street, community=community, n=rng.randint(1, 40), m=rng.randint(1, 6)
    )
    obj = rng.choice(category.words)
    written = SENTENCES.get(category.key)
    if written and rng.random() < 0.4:
        body = rng.choice(written)
    else:
        body = f"{obj}{rng.choice(category.problems)}"
    description = (
        f"{rng.choice(OPENERS[phrasing])}{place}{body}，"
        f"{rng.choice(DURATIONS[phrasing])}，{rng.choice(REQUESTS[phrasing])}"
    ).replace("，，", "，")
    title = f"{community}{obj}" if rng.random() < 0.5 else f"{place}{category.name}问题"
    unit = f"BT-{street_code}" if category.streets else category.city_unit
    return Sample(title[:60], description, category.key, unit, (street_code, DETAILED_DISTRICT))


def generate(
    n: int, *, seed: int = 0, phrasing: str = "train", keys: list[str] | None = None
) -> list[Sample]:
    """`n` samples spread over the categories (all, or the given keys) with a Zipf-like skew,
    reproducible for a seed."""
    rng = random.Random(seed)
    pool = [c for c in categories() if keys is None or c.key in keys]
    weights = [1 / (i % 25 + 1) ** 0.6 for i in range(len(pool))]
    chosen = rng.choices(pool, weights=weights, k=n)
    return [sample(rng, c, phrasing) for c in chosen]


def balanced(per_category: int, *, seed: int = 0, phrasing: str = "train") -> list[Sample]:
    """`per_category` samples of every category (for small, complete test sets)."""
    rng = random.Random(seed)
    return [sample(rng, c, phrasing) for c in categories() for _ in range(per_category)]
