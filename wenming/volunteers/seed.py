"""Demo seed for volunteer service in 青山区 (idempotent): the practice center → 所 → 站 tree,
teams, ~40 volunteers with valid generated identity numbers, shift rosters at intersections,
one-off activities, needs in every stage of the four orders, confirmed hours and a certificate.
The demo users `centerstaff` (staff of the district center) and `volunteer` are linked."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from wenming.core.validators import id_check_char
from wenming.org.demo_city import DETAILED_DISTRICT
from wenming.org.models import Membership, Region, Role

from . import services
from .models import (
    Activity,
    Center,
    CenterLevel,
    Need,
    ServiceType,
    Signup,
    Team,
    Volunteer,
)

DISTRICT_CENTER = "青山区新时代文明实践中心"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "丽娟",
    "海燕",
    "晓东",
    "桂兰",
    "文博",
    "雪梅",
    "国庆",
    "思远",
    "慧敏",
]
TEAMS = [  # name, service type, center name (None: the district center), description
    ("青山区文明交通劝导志愿服务队", ServiceType.TRAFFIC, None, "早晚高峰在主要路口劝导文明出行。"),
    ("青山区环境卫生志愿服务队", ServiceType.ENVIRONMENT, None, "背街小巷、公园绿地清洁行动。"),
    ("青山区理论宣讲志愿服务队", ServiceType.CULTURE, None, "走进社区宣讲党的创新理论。"),
    (
        "青山路街道关爱老人志愿服务队",
        ServiceType.ELDERLY,
        "青山路街道新时代文明实践所",
        "为空巢、独居老人上门服务。",
    ),
    (
        "六合成社区邻里守望志愿服务队",
        ServiceType.COMMUNITY,
        "六合成社区新时代文明实践站",
        "楼院巡查、邻里互助。",
    ),
]
INTERSECTIONS = [  # place, community code, lat/lon offset from the community's centroid
    ("钢铁大街与青山路交叉口", "150204001001", (0.001, 0.001)),
    ("阿尔丁大街与青年路交叉口", "150204002002", (-0.001, 0.0005)),
    ("幸福路与民主路交叉口", "150204003001", (0.0005, -0.001)),
]


def _centers() -> Center:
    district = Region.objects.get(code=DETAILED_DISTRICT)
    top, _ = Center.objects.get_or_create(
        region=district,
        name=DISTRICT_CENTER,
        defaults={
            "level": CenterLevel.CENTER,
            "address": "青山区文化路 18 号",
            "phone": "0472-3311000",
            "description": "统筹全区新时代文明实践工作，指导各街道实践所、社区实践站开展志愿服务。",
        },
    )
    for street in district.children.order_by("code"):
        suffix = "新时代文明实践所"
        institute, _ = Center.objects.get_or_create(
            region=street,
            name=f"{street.name}{suffix}",
            defaults={"level": CenterLevel.INSTITUTE, "parent": top, "address": street.name},
        )
        for community in street.children.order_by("code"):
            Center.objects.get_or_create(
                region=community,
                name=f"{community.name}新时代文明实践站",
                defaults={
                    "level": CenterLevel.STATION,
                    "parent": institute,
                    "address": community.name,
                },
            )
    return top


def _teams(top: Center) -> list[Team]:
    teams = []
    for name, kind, center_name, description in TEAMS:
        center = Center.objects.get(name=center_name) if center_name else top
        team, _ = Team.objects.get_or_create(
            name=name,
            defaults={"center": center, "service_type": kind, "description": description},
        )
        teams.append(team)
    return teams


def demo_id_number(n: int) -> str:
    """A valid, obviously generated identity number of 青山区 for demo volunteer n."""
    born = datetime(1958 + n % 45, 1 + n % 12, 1 + (n * 7) % 28)
    first17 = f"{DETAILED_DISTRICT[:6]}{born:%Y%m%d}{(n * 37) % 1000:03d}"
    return first17 + id_check_char(first17)


def _volunteers(staff: User, teams: list[Team]) -> list[Volunteer]:
    communities = list(
        Region.objects.filter(level="community", parent__parent__code=DETAILED_DISTRICT)
    )
    people = []
    for n in range(40):
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 5) % len(GIVEN)]
        volunteer = services.volunteer_register(
            real_name=name,
            id_number=demo_id_number(n),
            phone=f"1394720{n:04d}",
            home_region=communities[(n * 3) % len(communities)],
            skills=[teams[n % len(teams)].service_type],
            availability=["weekday_morning" if n % 2 else "weekend"],
        )
        if n < 37:  # the last three wait for review
            volunteer = services.volunteer_approve(volunteer=volunteer, actor=staff)
            services.team_member_add(team=teams[n % len(teams)], volunteer=volunteer)
        people.append(volunteer)
    for team in teams:
        first = team.members.order_by("pk").first()
        if first is not None:
            services.team_set_leader(team=team, volunteer=first)
    return people


def _demo_volunteer(staff: User, teams: list[Team]) -> Volunteer:
    user = get_user_model().objects.get(username="volunteer")
    volunteer = services.volunteer_register(
        real_name="王小明",
        id_number=demo_id_number(99),
        phone="13947219999",
        home_region=Region.objects.get(code="150204001001"),
        skills=[ServiceType.TRAFFIC, ServiceType.ELDERLY],
        availability=["weekday_morning", "weekend"],
        user=user,
    )
    volunteer = services.volunteer_approve(volunteer=volunteer, actor=staff)
    services.team_member_add(team=teams[0], volunteer=volunteer)
    return volunteer


def _rosters(top: Center, staff: User, team: Team) -> list[Activity]:
    today = timezone.localdate()
    rosters = []
    for place, code, (dlat, dlon) in INTERSECTIONS:
        region = Region.objects.get(code=code)
        rosters.append(
            services.activity_create_recurring(
                center=top,
                title=f"文明交通劝导 · {place}",
                service_type=ServiceType.TRAFFIC,
                place=services.Place(
                    region=region,
                    address=place,
                    lat=(region.centroid_lat or 0) + dlat,
                    lon=(region.centroid_lon or 0) + dlon,
                    radius_m=150,
                ),
                roster=services.Roster(
                    first=today - timedelta(days=21),
                    last=today + timedelta(days=30),
                    weekdays=[0, 1, 2, 3, 4],
                    start=time(7, 0),
                    end=time(9, 0),
                ),
                capacity=4,
                actor=staff,
                description="早高峰路口劝导行人、非机动车文明出行，请穿志愿者马甲、戴小红帽。",
                team=team,
            )
        )
    return rosters


def _past_service(activity: Activity, volunteers: list[Volunteer], staff: User) -> None:
    """Signed, checked-in and confirmed past shifts (history is written directly: the services
    refuse sign-ups for shifts that have started, as they should)."""
    now = timezone.now()
    for k, shift in enumerate(activity.shifts.filter(ends_at__lt=now)):
        for volunteer in volunteers[k % 3 :: 6][:3]:
            signup = Signup.objects.create(
                shift=shift,
                volunteer=volunteer,
                checked_in_at=shift.starts_at - timedelta(minutes=5),
                check_in_method="location",
                check_in_distance_m=40,
                checked_out_at=shift.ends_at + timedelta(minutes=3),
                check_out_distance_m=55,
            )
            services.hours_confirm(signup=signup, actor=staff)


def _future_signups(activity: Activity, volunteers: list[Volunteer]) -> None:
    for k, shift in enumerate(activity.shifts.filter(starts_at__gt=timezone.now())[:8]):
        for volunteer in volunteers[k % 4 :: 9][:2]:
            services.signup_create(shift=shift, volunteer=volunteer)


def _one_offs(staff: User) -> None:
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    for title, code, kind, hours, capacity in [
        ("青山公园环境清洁日", "150204003002", ServiceType.ENVIRONMENT, (9, 11), 20),
        ("六合成社区防诈骗宣讲", "150204001001", ServiceType.CULTURE, (15, 17), 10),
        ("万青路街道义诊进社区", "150204002001", ServiceType.HEALTH, (8, 11), 8),
    ]:
        region = Region.objects.get(code=code)
        center = Center.objects.get(region=region)
        services.activity_create_one_off(
            center=center,
            title=title,
            service_type=kind,
            place=services.Place(
                region=region,
                address=f"{region.name}党群服务中心门前",
                lat=region.centroid_lat or 0,
                lon=region.centroid_lon or 0,
            ),
            starts_at=datetime.combine(saturday, time(hours[0]), zone),
            ends_at=datetime.combine(saturday, time(hours[1]), zone),
            capacity=capacity,
            actor=staff,
            description=f"{title}，欢迎报名参加。",
        )


def _needs(staff: User, teams: list[Team], taker: Volunteer) -> None:
    zone = timezone.get_current_timezone()
    day = timezone.localdate() + timedelta(days=3)
    rows = [
        ("帮助独居老人打扫卫生", "150204001002", ServiceType.ELDERLY, "青东社区 12 栋"),
        ("小区楼道小广告清理", "150204001003", ServiceType.ENVIRONMENT, "青苑社区 3 号院"),
        ("暑期儿童课业辅导", "150204002003", ServiceType.CHILDREN, "富力社区活动室"),
        ("学校门口上学时段交通疏导", "150204001001", ServiceType.TRAFFIC, "青山路小学门口"),
        ("社区健康讲座协助", "150204002001", ServiceType.HEALTH, "万新社区卫生服务站"),
        ("老旧小区垃圾分类宣传", "150204003002", ServiceType.ENVIRONMENT, "和平社区文化广场"),
    ]
    needs = []
    for k, (title, code, kind, address) in enumerate(rows):
        needs.append(
            services.need_submit(
                title=title,
                description=f"{title}，需要志愿者协助，具体情况电话联系。",
                service_type=kind,
                region=Region.objects.get(code=code),
                address=address,
                starts_at=datetime.combine(day, time(9 + k), zone),
                ends_at=datetime.combine(day, time(11 + k), zone),
                people_needed=2 + k % 3,
                requester_name=f"{SURNAMES[k]}女士",
                requester_org=Region.objects.get(code=code).name + "居委会",
                requester_phone=f"1384721{k:04d}",
            )
        )
    accepted = [services.need_accept(need=n, actor=staff) for n in needs[1:]]
    services.need_dispatch(need=accepted[0], team=teams[3], actor=staff)
    taken = services.need_dispatch(need=accepted[2], team=teams[0], actor=staff)
    services.need_take(need=taken, volunteer=taker)
    services.need_publish(need=accepted[1], actor=staff)
    served = services.need_publish(need=accepted[4], actor=staff)
    # The service happened already: move its time into the past, then complete and rate it.
    past = timezone.now() - timedelta(days=2)
    Need.objects.filter(pk=served.pk).update(starts_at=past, ends_at=past + timedelta(hours=2))
    served = services.need_complete(need=Need.objects.get(pk=served.pk), actor=staff)
    services.need_rate(need=served, phone="13847210005", rating=5, comment="志愿者很热心，谢谢！")


def _history(volunteers: list[Volunteer], staff: User) -> None:
    """Hours moved from the earlier paper sign-in sheets, so that stars show in the demo."""
    for n, volunteer in enumerate(volunteers[:12]):
        services.hours_record(
            volunteer=volunteer,
            hours=Decimal(24),
            service_date=timezone.localdate() - timedelta(days=400 + n),
            actor=staff,
            note="2024 年纸质签到表补录",
        )
        for _ in range(n % 6):
            services.hours_record(
                volunteer=volunteer,
                hours=Decimal(20),
                service_date=timezone.localdate() - timedelta(days=300 + n),
                actor=staff,
                note="2025 年纸质签到表补录",
            )


@transaction.atomic
def seed_demo() -> None:
    top = _centers()
    Membership.objects.filter(user__username="centerstaff", role=Role.CENTER_STAFF).update(
        center=top
    )
    Membership.objects.filter(user__username="volunteer", role=Role.VOLUNTEER).update(
        center=Center.objects.get(region__code="150204001001")
    )
    teams = _teams(top)
    if Volunteer.objects.filter(user__username="volunteer").exists():
        return  # people, activities and history are seeded once
    staff = get_user_model().objects.get(username="centerstaff")
    people = _volunteers(staff, teams)
    me = _demo_volunteer(staff, teams)
    approved = [v for v in people if v.is_approved]
    rosters = _rosters(top, staff, teams[0])
    for k, roster in enumerate(rosters):  # each intersection has its own people
        _past_service(roster, ([me] if k == 0 else []) + approved[k::3], staff)
        _future_signups(roster, approved[k::3])
    _one_offs(staff)
    _needs(staff, teams, me)
    _history([me, *approved], staff)
    services.certificate_issue(volunteer=me, actor=me.user)  # type: ignore[arg-type]
