"""Demo seed for inspections (idempotent): the site types, a checklist per type with realistic
items, ~40 point sites in 青山区 placed in the demo grids and this month's open round assigned
to the demo `inspector` (`seed_demo`, in WENMING_DEMO_SEEDERS); and the demo history
(`seed_demo_history`, run by `wenming seed_demo_inspections` and `wenming demo`): last month's
finished round whose findings became cases, and two sites of this month's round inspected."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from wenming.assessment.models import Indicator
from wenming.cases.models import Category
from wenming.org.demo_city import DETAILED_DISTRICT
from wenming.org.models import Region, Unit
from wenming.org.selectors import region_at

from . import services
from .models import Checklist, ChecklistItem, InspectionRound, Outcome, PointSite, SiteType

E, C = "event", "component"
PSA = ("公益广告设置到位、画面完好无破损", E, "1101", 2, "040101")
# type code, name, checklist items: (text, category kind, category code, deduction, indicator)
TYPES: list[tuple[str, str, list[tuple[str, str, str, int, str]]]] = [
    (
        "market",
        "集贸市场",
        [
            ("设置公平秤并能正常使用", E, "0703", 3, "030101"),
            ("设有消费者投诉站，公示投诉电话", E, "0603", 2, "030101"),
            ("经营户亮照经营、明码标价", E, "0705", 2, "030101"),
            ("地面无积水、无垃圾，垃圾日产日清", E, "0701", 3, "030101"),
            ("市场内外张贴公益广告", E, "1101", 2, "040101"),
            ("市场周边无马路市场和占道经营", E, "0702", 3, "030101"),
        ],
    ),
    (
        "back_street",
        "背街小巷",
        [
            ("路面硬化平整，无坑洼破损", C, "0205", 3, "050101"),
            ("无堆积垃圾和暴露垃圾", E, "0101", 3, "050101"),
            ("路灯完好、夜间正常亮灯", C, "0108", 2, "050101"),
            ("墙面无乱贴乱画、无非法小广告", E, "0201", 2, "050101"),
            ("无乱堆物料、私搭乱建", E, "0503", 2, "050101"),
        ],
    ),
    (
        "main_road",
        "主次干道",
        [
            ("路面干净，无垃圾、无渣土遗撒", E, "0103", 3, "050101"),
            ("无占道经营、流动摊贩", E, "0501", 3, "050101"),
            ("机动车、非机动车停放有序", E, "0504", 2, "020102"),
            ("公益广告占户外广告比例达标", E, "1101", 2, "040101"),
            ("果皮箱完好、无满溢", C, "0302", 1, "050101"),
        ],
    ),
    (
        "commercial_street",
        "商业大街",
        [
            ("店招标牌规范、无破损", E, "0204", 2, "050101"),
            ("无店外经营、占道经营", E, "0501", 3, "050101"),
            PSA,
            ("无商业经营噪声扰民", E, "1002", 2, "050101"),
            ("路面干净、无垃圾", E, "0103", 2, "050101"),
        ],
    ),
    (
        "intersection",
        "交通路口",
        [
            ("设置文明交通志愿岗，高峰时段志愿者在岗", E, "0603", 3, "020102"),
            ("机动车礼让行人", E, "0601", 3, "020102"),
            ("行人、非机动车不闯红灯", E, "0601", 2, "020102"),
            ("交通信号灯运行正常", C, "0201", 3, "020102"),
            ("交通标线清晰完整", C, "0207", 2, "020102"),
        ],
    ),
    (
        "bus_stop",
        "公交站台",
        [
            ("站亭完好、站牌信息清晰", C, "0204", 2, "050101"),
            ("站台干净，无小广告", E, "0201", 2, "050101"),
            PSA,
            ("乘客排队候车、文明乘车", E, "0601", 1, "020102"),
        ],
    ),
    (
        "old_compound",
        "老旧小区",
        [
            ("楼道无堆物、消防通道畅通", E, "0902", 3, "050201"),
            ("小区环境整洁，垃圾分类投放", E, "0901", 3, "050201"),
            ("无私搭乱建", E, "0905", 3, "050201"),
            ("健身、照明等设施完好", E, "0906", 2, "050201"),
            ("宣传栏内容及时更新", C, "0601", 2, "040101"),
        ],
    ),
    (
        "community",
        "社区",
        [
            ("志愿服务站有场所、有项目、有台账", E, "0603", 3, "040201"),
            ("公益宣传栏内容及时更新", C, "0601", 2, "040101"),
            ("设有法治宣传栏和法律服务室", C, "0601", 2, "020201"),
            ("社区环境整洁、无暴露垃圾", E, "0101", 2, "050101"),
        ],
    ),
    (
        "school",
        "中小学及校园周边",
        [
            ("校园周边无流动摊贩、无“三无”食品", E, "0804", 3, "000102"),
            ("上下学时段交通秩序良好，设护学岗", E, "0504", 2, "000102"),
            ("校门口设置公益广告和核心价值观宣传", E, "1101", 2, "040101"),
            ("校园周边200米内无网吧、游戏厅", E, "0603", 3, "000102"),
        ],
    ),
    (
        "hospital",
        "医院",
        [
            ("设导医台，就诊秩序良好", E, "0603", 2, ""),
            ("院内外环境整洁", E, "0101", 2, "050101"),
            ("院区周边机动车停放有序", E, "0504", 2, "020102"),
            PSA,
        ],
    ),
    (
        "service_hall",
        "政务大厅",
        [
            ("设导办台、咨询台和意见箱", E, "0603", 2, "010101"),
            ("工作人员挂牌上岗、文明用语", E, "0601", 2, "010101"),
            ("办事指南公开，一次性告知", E, "0603", 2, "010101"),
            PSA,
        ],
    ),
    (
        "park",
        "公园",
        [
            ("绿地无黄土裸露，树木无死株缺株", C, "0402", 2, "060102"),
            ("园内干净，果皮箱完好", C, "0302", 2, "050101"),
            ("公厕干净、无异味", C, "0301", 2, "050102"),
            ("无广场舞等噪声扰民", E, "1003", 1, ""),
            PSA,
        ],
    ),
    (
        "square",
        "广场",
        [
            ("地面干净、无垃圾", E, "0103", 2, "050101"),
            ("无流动摊贩", E, "0502", 2, "050101"),
            ("公共座椅等设施完好", C, "0304", 1, "050101"),
            PSA,
        ],
    ),
    (
        "scenic_area",
        "景区",
        [
            ("游客服务中心正常运行", E, "0603", 2, ""),
            ("景区环境整洁、无乱扔垃圾", E, "0101", 2, "050101"),
            ("公厕干净、设施完好", C, "0301", 2, "050102"),
            ("设置文明旅游提示和公益广告", E, "1101", 2, "040101"),
        ],
    ),
    (
        "public_toilet",
        "公厕",
        [
            ("有专人保洁、无异味", C, "0301", 3, "050102"),
            ("设施完好，洗手液、厕纸齐全", C, "0301", 2, "050102"),
            ("标识清晰、开放时间公示", C, "0301", 1, "050102"),
            ("无障碍设施可用", C, "0301", 2, "050102"),
        ],
    ),
    (
        "station",
        "车站",
        [
            ("候车区干净有序", E, "0101", 2, "050101"),
            ("站前广场无非法营运、无拉客", E, "0601", 3, "020102"),
            PSA,
            ("问讯服务台有人值守", E, "0603", 1, ""),
        ],
    ),
    (
        "construction_site",
        "建筑工地围挡",
        [
            ("围挡完好、连续，无破损", E, "0305", 3, "060101"),
            ("围挡设置公益广告", E, "1101", 2, "040101"),
            ("裸土覆盖、洒水降尘", E, "0301", 3, "060101"),
            ("出入口车辆冲洗，道路无遗撒", E, "0302", 3, "060101"),
        ],
    ),
    (
        "bank",
        "银行",
        [
            ("电子屏滚动播放公益广告", E, "1101", 2, "040101"),
            ("窗口文明用语，设爱心座椅", E, "0603", 2, ""),
            ("门前整洁、车辆停放有序", E, "0504", 2, "020102"),
        ],
    ),
    (
        "business_hall",
        "营业厅",
        [
            ("电子屏或展板有公益广告", E, "1101", 2, "040101"),
            ("服务规范、文明用语", E, "0603", 2, ""),
            ("门前三包落实，环境整洁", E, "0101", 2, "050101"),
        ],
    ),
    (
        "hotel",
        "宾馆",
        [
            ("大堂有公益广告和文明旅游提示", E, "1101", 2, "040101"),
            ("门前三包落实，环境整洁", E, "0101", 2, "050101"),
            ("车辆停放有序", E, "0504", 1, "020102"),
        ],
    ),
]
TYPE_UNITS = {  # types whose sites a department answers for; the rest: the street's office
    "market": "BT-QS-SJJ",
    "construction_site": "BT-QS-ZJJ",
    "intersection": "BT-GAJJ",
    "bus_stop": "BT-JTJ",
}
SITES = [  # type code, names
    ("market", ["青山农贸市场", "富强路综合市场", "幸福路便民市场"]),
    ("back_street", ["青东路三巷", "光荣南巷", "友谊十八街小巷", "文化路后街"]),
    ("main_road", ["钢铁大街青山段", "青年路", "幸福南路", "民主路"]),
    ("commercial_street", ["青山路商业步行街", "万达广场商业街"]),
    ("intersection", ["钢铁大街与青年路口", "幸福路与自由路口", "民主路与科学路口"]),
    ("bus_stop", ["青山宾馆公交站", "富强路口公交站", "科学路公交站"]),
    ("old_compound", ["北方小区", "青苑小区", "光荣小区", "和平小区"]),
    ("community", ["六合成社区服务中心", "青东社区服务中心", "富力社区服务中心"]),
    ("school", ["青山区第一小学", "包头市第九中学", "科学路小学"]),
    ("hospital", ["包头市第四医院", "青山区医院"]),
    ("service_hall", ["青山区政务服务中心"]),
    ("park", ["八一公园", "青山公园"]),
    ("square", ["青山文化广场"]),
    ("scenic_area", ["赛汗塔拉城中草原"]),
    ("public_toilet", ["青年路公厕", "幸福路公厕"]),
    ("station", ["青山汽车客运站"]),
    ("construction_site", ["青山路棚改项目工地", "科学路学校扩建工地"]),
    ("bank", ["中国工商银行青山支行"]),
    ("business_hall", ["中国移动青山营业厅"]),
    ("hotel", ["青山宾馆"]),
]
FINISHED_ROUND = "上月暗访（第1批）"
OPEN_ROUND = "本月暗访（第2批）"


def _draw(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256("/".join(map(str, parts)).encode()).digest()[:2], "big")


def _checklists() -> None:
    categories = {(c.kind, c.code): c for c in Category.objects.filter(parent__isnull=False)}
    indicators = {i.code: i for i in Indicator.objects.all()}
    for order, (code, name, items) in enumerate(TYPES):
        site_type, _created = SiteType.objects.update_or_create(
            code=code, defaults={"name": name, "order": order}
        )
        checklist = Checklist.objects.filter(site_type=site_type, is_active=True).first()
        if checklist is None:
            checklist = Checklist.objects.create(site_type=site_type, name=f"{name}检查标准")
        for n, (text, kind, category, deduction, indicator) in enumerate(items):
            ChecklistItem.objects.update_or_create(
                checklist=checklist,
                order=n + 1,
                defaults={
                    "text": text,
                    "category": categories[(kind, category)],
                    "deduction": Decimal(deduction),
                    "indicator": indicators.get(indicator),
                    "photo_required": deduction >= 2,
                },
            )


def _grid(i: int) -> Region:
    street, community, cell = i % 8 + 1, (i // 8) % 4 + 1, (i * 5) % 9 + 1
    return Region.objects.get(code=f"{DETAILED_DISTRICT[:6]}{street:03d}{community:03d}{cell:02d}")


def _sites() -> None:
    liaison = User.objects.filter(username="liaison").first()
    types = {t.code: t for t in SiteType.objects.all()}
    i = 0
    for type_code, names in SITES:
        for n, name in enumerate(names):
            grid = _grid(i)
            lat, lon = grid.centroid_lat or 0.0, grid.centroid_lon or 0.0
            region = region_at(lat=lat, lon=lon) or grid
            street_code = region.path.strip("/").split("/")[3]
            unit = Unit.objects.get(code=TYPE_UNITS.get(type_code, f"BT-{street_code}"))
            PointSite.objects.update_or_create(
                code=f"QS-{type_code.upper()[:6]}-{n + 1:02d}",
                defaults={
                    "name": name,
                    "site_type": types[type_code],
                    "address": f"青山区{region.parent.name if region.parent else ''}{name}",
                    "lat": lat,
                    "lon": lon,
                    "region": region,
                    "unit": unit,
                    "liaison": liaison,
                },
            )
            i += 1


def _answers(site: PointSite, round_name: str) -> list[services.ItemAnswer]:
    answers = []
    for item in services.checklist_items(site):
        draw = _draw(round_name, site.code, item.order) % 100
        outcome = Outcome.FAIL if draw < 18 else Outcome.NA if draw > 96 else Outcome.PASS
        note = f"现场发现：{item.text.split('，')[0]}不达标" if outcome == Outcome.FAIL else ""
        answers.append(services.ItemAnswer(item.pk, outcome, note))
    return answers


def _inspect(inspection_round: InspectionRound, count: int, day: date) -> int:
    todo = inspection_round.assignments.filter(result__isnull=True).order_by("site__code")
    done = 0
    for n, assignment in enumerate(todo[:count]):
        at = datetime.combine(
            day, time(9 + n % 8, 10 * (n % 6)), tzinfo=timezone.get_current_timezone()
        )
        services.inspection_import(
            assignment_id=assignment.pk,
            submission_id=f"demo-{inspection_round.pk}-{assignment.pk}",
            answers=_answers(assignment.site, inspection_round.name),
            inspected_at=at,
        )
        done += 1
    return done


def _open_round(today: date) -> None:
    """This month's round, every site assigned to the demo inspector, nothing inspected yet."""
    if InspectionRound.objects.filter(name=OPEN_ROUND).exists():
        return
    start = today.replace(day=1)
    services.round_create(
        actor=User.objects.get(username="admin"),
        name=OPEN_ROUND,
        region=Region.objects.get(code=DETAILED_DISTRICT),
        starts_on=start,
        ends_on=start + timedelta(days=27),
        types=list(SiteType.objects.all())[:8],
        per_type=2,
        seed=7,
        inspector=User.objects.get(username="inspector"),
    )


@transaction.atomic
def seed_demo() -> None:
    """Site types, checklists, point sites and this month's open round (no cases: the base
    demo city has none; `seed_demo_history` adds the inspections and their cases)."""
    _checklists()
    _sites()
    _open_round(timezone.localdate())


@transaction.atomic
def seed_demo_history() -> int:
    """Last month's finished round (every sampled site inspected; failed items became cases,
    dispatched to the sites' units) and two sites of this month's round already inspected.
    Does nothing once present; returns the number of inspections made."""
    if InspectionRound.objects.filter(name=FINISHED_ROUND).exists():
        return 0
    admin, inspector = User.objects.get(username="admin"), User.objects.get(username="inspector")
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    finished = services.round_create(
        actor=admin,
        name=FINISHED_ROUND,
        region=Region.objects.get(code=DETAILED_DISTRICT),
        starts_on=first + timedelta(days=9),
        ends_on=first + timedelta(days=15),
        types=list(SiteType.objects.all()),
        per_type=1,
        seed=2026,
        inspector=inspector,
    )
    made = _inspect(finished, 99, first + timedelta(days=10))
    services.round_close(round_id=finished.pk, actor=admin)
    opened = InspectionRound.objects.filter(name=OPEN_ROUND).first()
    if opened is not None:
        made += _inspect(opened, 2, max(today.replace(day=1), today - timedelta(days=1)))
    return made
