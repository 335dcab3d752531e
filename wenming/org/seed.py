"""Demo seed for the org app: the region tree, units and one demo user per role (idempotent)."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.db import transaction

from .demo_city import CITY, DETAILED_DISTRICT, DISTRICTS, STREETS, demo_city_geojson
from .models import Liaison, LiaisonLevel, Membership, Region, Role, Unit, UnitKind
from .services import regions_import

DEMO_PASSWORD = "Wenming@2026"

CITY_DEPARTMENTS = [  # code suffix, name
    ("CGZF", "包头市城市管理综合执法局"),
    ("ZJJ", "包头市住房和城乡建设局"),
    ("SJJ", "包头市市场监督管理局"),
    ("JTJ", "包头市交通运输局"),
    ("SHJ", "包头市生态环境局"),
    ("GAJJ", "包头市公安局交通管理支队"),
    ("LCJ", "包头市林业和草原局"),
    ("WLJ", "包头市文化旅游广电局"),
    ("JYJ", "包头市教育局"),
    ("WMB", "包头市精神文明建设委员会办公室"),
    ("RQ", "包头市热力（集团）有限责任公司"),
    ("GS", "包头市供排水有限责任公司"),
]
QINGSHAN_DEPARTMENTS = [
    ("QS-CGJ", "青山区城市管理综合执法局"),
    ("QS-SJJ", "青山区市场监督管理局"),
    ("QS-ZJJ", "青山区住房和城乡建设局"),
]
PROPERTY_COMPANIES = [
    ("WY-LC", "包头鹿城物业服务有限公司", "150204001000"),
    ("WY-BF", "包头北方物业管理有限责任公司", "150204002000"),
]

DEMO_USERS = [  # username, display name, role, unit code or None, scope region code
    ("admin", "文明办管理员", Role.ADMIN, "BT-WMB", CITY[0]),
    ("operator", "12345受理员", Role.OPERATOR, None, CITY[0]),
    ("dispatcher", "指挥中心派遣员", Role.DISPATCHER, None, CITY[0]),
    ("handler", "青山路街道处置员", Role.HANDLER, "BT-150204001000", "150204001000"),
    ("unitlead", "青山路街道负责人", Role.UNIT_LEAD, "BT-150204001000", "150204001000"),
    ("inspector", "暗访督查员", Role.INSPECTOR, None, DETAILED_DISTRICT),
    ("reviewer", "集审评审员", Role.REVIEWER, None, CITY[0]),
    ("liaison", "青山区包联领导", Role.LIAISON, None, DETAILED_DISTRICT),
    ("centerstaff", "青山区实践中心工作人员", Role.CENTER_STAFF, None, DETAILED_DISTRICT),
    ("volunteer", "志愿者小王", Role.VOLUNTEER, None, "150204001000"),
]


def _units() -> None:
    city = Region.objects.get(code=CITY[0])
    qingshan = Region.objects.get(code=DETAILED_DISTRICT)
    rows: list[tuple[str, str, str, Region]] = [
        (f"BT-{suffix}", name, UnitKind.DEPARTMENT, city) for suffix, name in CITY_DEPARTMENTS
    ]
    rows += [(f"BT-{s}", n, UnitKind.DEPARTMENT, qingshan) for s, n in QINGSHAN_DEPARTMENTS]
    for code, name, _bounds in DISTRICTS:
        rows.append(
            (f"BT-{code}", f"{name}人民政府", UnitKind.GOVERNMENT, Region.objects.get(code=code))
        )
    for s, (street_name, _communities) in enumerate(STREETS):
        code = f"{DETAILED_DISTRICT[:6]}{s + 1:03d}000"
        suffix = "人民政府" if street_name.endswith("镇") else "办事处"
        rows.append(
            (
                f"BT-{code}",
                f"{street_name}{suffix}",
                UnitKind.GOVERNMENT,
                Region.objects.get(code=code),
            )
        )
    for code, name, region_code in PROPERTY_COMPANIES:
        rows.append((f"BT-{code}", name, UnitKind.ENTERPRISE, Region.objects.get(code=region_code)))
    for code, name, kind, region in rows:
        Unit.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "region": region}
        )


def _users() -> list[tuple[str, str, str]]:
    user_model = get_user_model()
    accounts = []
    for username, display, role, unit_code, scope_code in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": display, "is_staff": role == Role.ADMIN}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = role == Role.ADMIN
            user.save()
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        Membership.objects.get_or_create(
            user=user, role=role, unit=unit, region_scope=Region.objects.get(code=scope_code)
        )
        accounts.append((username, display, str(role.label)))
    liaison = user_model.objects.get(username="liaison")
    Liaison.objects.get_or_create(
        leader=liaison,
        region=Region.objects.get(code=DETAILED_DISTRICT),
        defaults={"level": LiaisonLevel.DISTRICT},
    )
    return accounts


@transaction.atomic
def seed_demo() -> None:
    regions_import(text=json.dumps(demo_city_geojson(), ensure_ascii=False))
    _units()
    _users()


def demo_accounts() -> list[tuple[str, str, str]]:
    return [(u, d, str(r.label)) for u, d, r, _unit, _scope in DEMO_USERS]
