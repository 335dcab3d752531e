"""Demo livelihood projects and campaign activities of 包头 (idempotent; run by
`wenming seed_demo_livelihood` and `wenming demo`).

This year's 40 projects with targets, milestones and sites; monthly reports from the first
month to last month (most approved, a few waiting, some months never reported so they show as
overdue, some projects slow so they lag); a few hundred activities of the practice centers.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from wenming.core.images import photo_normalize
from wenming.org.models import Region, RegionLevel, Unit
from wenming.org.selectors import region_at
from wenming.volunteers.models import Center

from . import progress
from .models import (
    ActivityKind,
    CampaignActivity,
    LivelihoodProject,
    PhotoStage,
    ProgressReport,
    ProjectMilestone,
    ProjectSite,
    ProjectTarget,
    ReportPhoto,
    ReportQuantity,
    ReportStatus,
)

CITY, QINGSHAN = "150200000000", "150204000000"
# title, lead unit code suffix, region code, [(target, quantity, measure)], budget (万元)
PROJECTS: list[tuple[str, str, str, list[tuple[str, int, str]], int | None]] = [
    ("老旧小区改造", "ZJJ", CITY, [("改造老旧小区", 108, "个"), ("惠及居民", 32000, "户")], 52000),
    ("新增公共停车泊位", "JTJ", CITY, [("新增停车泊位", 20000, "个")], 18000),
    ("直饮水进小区", "GS", CITY, [("建设直饮水站", 120, "座")], 3600),
    ("农贸市场线上化", "SJJ", CITY, [("上线农贸市场", 40, "个")], 800),
    ("全民健身设施建设", "WLJ", CITY, [("新建健身设施", 700, "处")], 4200),
    ("口袋公园建设", "LCJ", CITY, [("建成口袋公园", 15, "个")], 3000),
    ("文化惠民演出", "WLJ", CITY, [("举办文化活动", 32000, "场")], 1500),
    ("理论宣讲进基层", "WMB", CITY, [("开展宣讲", 16000, "场")], 300),
    ("背街小巷整治", "CGZF", CITY, [("整治背街小巷", 260, "条")], 9000),
    ("城市道路维修", "JTJ", CITY, [("维修道路", 85, "公里")], 21000),
    ("供热管网改造", "RQ", CITY, [("改造供热管网", 150, "公里")], 26000),
    ("雨污分流改造", "GS", CITY, [("改造雨污管网", 60, "公里")], 15000),
    ("公共厕所提升", "CGZF", CITY, [("新建改建公厕", 120, "座")], 2400),
    ("垃圾分类示范小区", "CGZF", CITY, [("建成示范小区", 200, "个")], 1200),
    ("校园周边交通安全", "GAJJ", CITY, [("设置护学岗", 180, "处")], 500),
    ("中小学食堂明厨亮灶", "SJJ", CITY, [("完成学校食堂", 320, "所")], 640),
    ("新增普惠性学位", "JYJ", CITY, [("新增学位", 9000, "个")], 36000),
    ("城市绿道建设", "LCJ", CITY, [("建成绿道", 45, "公里")], 8000),
    ("公交站亭更新", "JTJ", CITY, [("更新站亭", 300, "座")], 1800),
    ("电动自行车充电设施", "ZJJ", CITY, [("建设充电桩", 5000, "个")], 1000),
    ("老年助餐点建设", "WMB", CITY, [("建成助餐点", 90, "个")], 1350),
    ("空气质量改善", "SHJ", CITY, [("淘汰燃煤小锅炉", 70, "台")], 2800),
    ("青山区老旧小区加装电梯", "QS-ZJJ", QINGSHAN, [("加装电梯", 60, "部")], 4800),
    ("青山区便民市场规范化", "QS-SJJ", QINGSHAN, [("规范便民市场", 12, "个")], 360),
    ("青山区占道经营治理", "QS-CGJ", QINGSHAN, [("设置疏导点", 20, "处")], 200),
    ("青山路街道楼院环境整治", "150204001000", "150204001000", [("整治楼院", 36, "个")], 180),
    ("青山路街道社区文化广场", "150204001000", "150204001000", [("建成文化广场", 4, "个")], 400),
    ("万青路街道停车秩序治理", "150204002000", "150204002000", [("施划车位", 1500, "个")], 150),
    ("幸福路街道适老化改造", "150204003000", "150204003000", [("改造老年人家庭", 300, "户")], 240),
    ("东河区历史街区保护", "150202000000", "150202000000", [("修缮建筑", 40, "栋")], 6000),
    ("昆都仑区口袋公园", "150203000000", "150203000000", [("建成口袋公园", 6, "个")], 1200),
    ("城市照明亮化", "CGZF", CITY, [("新增路灯", 3000, "盏")], 2700),
    ("公共场所无障碍设施", "ZJJ", CITY, [("改造无障碍设施", 400, "处")], 800),
    ("社区卫生服务站标准化", "WMB", CITY, [("完成服务站", 50, "个")], 2500),
    ("河道综合治理", "SHJ", CITY, [("治理河道", 18, "公里")], 12000),
    ("农村人居环境整治", "LCJ", CITY, [("整治村庄", 80, "个")], 6400),
    ("城市书房建设", "WLJ", CITY, [("建成城市书房", 30, "个")], 900),
    ("新时代文明实践站提档", "WMB", CITY, [("提档实践站", 150, "个")], 750),
    ("公益广告宣传阵地", "WMB", CITY, [("设置公益广告", 5000, "处")], 500),
    ("放心早餐工程", "SJJ", CITY, [("建成早餐网点", 200, "个")], 600),
]
PLAN = [("一季度开工", 3, 31, 15), ("半年过半", 6, 30, 50), ("三季度攻坚", 9, 30, 80),
        ("年底全面完成", 12, 31, 100)]  # fmt: skip
ACTIVITY_TITLES: dict[str, list[str]] = {
    ActivityKind.LECTURE: ["党的创新理论宣讲", "百姓宣讲团进社区", "移风易俗宣讲", "文明礼仪宣讲"],
    ActivityKind.PERFORMANCE: ["广场文艺汇演", "二人台进社区", "邻里节文艺演出", "红色电影放映"],
    ActivityKind.VOLUNTEER: ["清洁家园志愿服务", "文明交通劝导", "关爱空巢老人", "义诊进社区"],
    ActivityKind.PUBLICITY: ["创文知识宣传", "垃圾分类宣传", "反诈宣传进小区", "文明餐桌宣传"],
    ActivityKind.TRAINING: ["志愿者骨干培训", "网格员业务培训", "急救技能培训", "文明实践站长培训"],
}


def _day_time(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _photo(color: str, label: str) -> ContentFile:
    image = Image.new("RGB", (480, 360), color)
    ImageDraw.Draw(image).rectangle((40, 200, 440, 330), fill="#ddd")
    ImageDraw.Draw(image).text((60, 60), label, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name=f"{label}.jpg")


def _site_point(region: Region, rnd: random.Random) -> tuple[float, float]:
    """A point near the region's centroid (a random community's inside 青山区 and the city)."""
    inside = Region.objects.filter(path__startswith=region.path, level=RegionLevel.COMMUNITY)
    pick = rnd.choice(list(inside)) if inside.exists() else region
    lat, lon = pick.centroid_lat or 40.65, pick.centroid_lon or 109.9
    return lat + rnd.uniform(-0.002, 0.002), lon + rnd.uniform(-0.002, 0.002)


def _project(number: int, row: tuple, year: int, rnd: random.Random) -> LivelihoodProject:
    title, unit, region_code, targets, budget = row
    region = Region.objects.get(code=region_code)
    project = LivelihoodProject.objects.create(
        year=year,
        code=f"MS{year}-{number:02d}",
        title=title,
        description=f"{year}年包头市重点民生实事：{title}。",
        lead_unit=Unit.objects.get(code=f"BT-{unit}"),
        region=region,
        budget=Decimal(budget) if budget else None,
        start_month=date(year, 1, 1),
    )
    project.cooperating_units.set(
        Unit.objects.filter(code__in=["BT-WMB", "BT-CGZF"]).exclude(pk=project.lead_unit_id)
    )
    for name, quantity, measure in targets:
        ProjectTarget.objects.create(project=project, name=name, quantity=quantity, measure=measure)
    for milestone, month, day, percent in PLAN:
        ProjectMilestone.objects.create(
            project=project,
            title=milestone,
            due_date=date(year, month, day),
            planned_percent=percent,
        )
    for n in range(rnd.randint(1, 4)):
        lat, lon = _site_point(region, rnd)
        ProjectSite.objects.create(
            project=project,
            name=f"{title}点位{n + 1}",
            lat=lat,
            lon=lon,
            region=region_at(lat=lat, lon=lon),
        )
    return project


def _reports(
    project: LivelihoodProject, today: date, pace: float, rnd: random.Random, staff
) -> None:  # type: ignore[no-untyped-def]
    """Monthly reports up to last month at `pace` (1.0 on schedule); some months skipped."""
    months = [
        m for m in progress.months_between(project.start_month, today) if m < today.replace(day=1)
    ]
    share = pace / 12
    for index, month in enumerate(months):
        if rnd.random() < 0.03:  # never reported: overdue
            continue
        due = progress.report_due(month)
        sent = (
            due - timedelta(days=rnd.randint(0, 6))
            if rnd.random() > 0.1
            else due + timedelta(days=3)
        )
        last = index == len(months) - 1
        status = ReportStatus.SUBMITTED if last and rnd.random() < 0.3 else ReportStatus.APPROVED
        report = ProgressReport.objects.create(
            project=project, month=month, text=f"{month:%m}月完成计划任务，现场推进有序。", status=status,
            submitted_by=staff, reviewed_by=staff if status == ReportStatus.APPROVED else None,
            reviewed_at=_day_time(sent + timedelta(days=2)) if status == ReportStatus.APPROVED else None,
        )  # fmt: skip
        ProgressReport.objects.filter(pk=report.pk).update(created_at=_day_time(sent))
        for target in project.targets.all():
            amount = (target.quantity * Decimal(share * rnd.uniform(0.7, 1.3))).quantize(Decimal(1))
            ReportQuantity.objects.create(
                report=report, target=target, quantity=max(amount, Decimal(0))
            )
        if index == 0 or last:
            stage = PhotoStage.BEFORE if index == 0 else PhotoStage.AFTER
            color = "#8a6d5a" if index == 0 else "#3f8f5a"
            photo = photo_normalize(
                _photo(color, f"{project.code}-{stage}"), name=f"report-{report.pk}"
            )
            ReportPhoto.objects.create(
                report=report, stage=stage, image=photo.image, thumbnail=photo.thumbnail
            )


def _activities(today: date, rnd: random.Random, staff) -> int:  # type: ignore[no-untyped-def]
    centers = list(Center.objects.select_related("region"))
    if not centers:
        return 0
    start, made = today - timedelta(days=180), 0
    for _n in range(360):
        center = rnd.choice(centers)
        kind = rnd.choice(ActivityKind.values)
        held = start + timedelta(days=rnd.randint(0, 180))
        CampaignActivity.objects.create(
            kind=kind, title=rnd.choice(ACTIVITY_TITLES[kind]), held_on=held, place=f"{center.name}活动室",
            region=center.region, center=center, participants=rnd.randint(15, 300), recorded_by=staff,
        )  # fmt: skip
        made += 1
    return made


@transaction.atomic
def seed_demo() -> int:
    """Create the demo projects and activities once; returns how many rows were made (0 when
    already present)."""
    if LivelihoodProject.objects.exists():
        return 0
    rnd, today = random.Random(2026), timezone.localdate()
    staff = get_user_model().objects.filter(username="admin").first()
    for number, row in enumerate(PROJECTS, start=1):
        project = _project(number, row, today.year, rnd)
        pace = 1.12 if number % 5 else 0.6  # every fifth project is slow (lags)
        if project.lead_unit.code == "BT-150204001000":
            pace = 0.9
        _reports(project, today, pace, rnd, staff)
    return len(PROJECTS) + _activities(today, rnd, staff)
