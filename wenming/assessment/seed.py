"""Demo seed for the assessment loop (idempotent): the indicator tree from data/indicators.yaml,
last month's cycle reviewed and closed with scores, and this month's cycle with its tasks and
some evidence (a few tasks submitted, one passed and one failed)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from . import services
from .imports import indicators_import
from .models import Cycle, Task

INDICATORS = Path(__file__).parent / "data" / "indicators.yaml"
EVIDENCE = [
    "本月已完成专项检查，检查台账及整改照片见附件说明。",
    "已召开专题推进会，印发工作方案，明确责任人和完成时限。",
    "组织志愿者开展集中清理行动，共出动人员{n}人次，清理点位{n}处。",
    "对照测评标准逐项自查，发现问题已全部整改到位。",
]


def _draw(*parts: object) -> int:
    return hashlib.sha256("/".join(map(str, parts)).encode()).digest()[0]


def _previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _evidence(task: Task, admin: User) -> None:
    text = EVIDENCE[_draw(task.pk) % len(EVIDENCE)].format(n=_draw(task.pk, "n") % 40 + 5)
    services.evidence_add(task_id=task.pk, actor=admin, text=text)
    services.task_submit(task_id=task.pk, actor=admin)


def _review(task: Task, reviewer: User, draw: int) -> None:
    passed = draw % 5 != 0
    score = 80 + draw % 21 if passed else 40 + draw % 20
    comment = "" if passed else "佐证材料不完整，缺少整改前后对比照片。"
    services.task_review(
        task_id=task.pk, actor=reviewer, passed=passed, score=score, comment=comment
    )


def _last_month(admin: User, reviewer: User, today: date) -> None:
    month = _previous_month(today)
    if Cycle.objects.filter(month=month).exists():
        return
    cycle = services.cycle_open(month=month, actor=admin)
    for task in cycle.tasks.order_by("pk"):
        if _draw(task.indicator.code, task.unit.code, "late") % 9 == 0:
            continue  # no evidence: fails with 0 at the close
        _evidence(task, admin)
        _review(task, reviewer, _draw(task.indicator.code, task.unit.code))
    services.cycle_close(cycle_id=cycle.pk, actor=admin)


def _this_month(admin: User, reviewer: User, today: date) -> None:
    if Cycle.objects.filter(month=today.replace(day=1)).exists():
        return
    cycle = services.cycle_open(month=today, actor=admin)
    tasks = list(cycle.tasks.select_related("unit", "indicator").order_by("pk"))
    street = [t for t in tasks if t.unit.code == "BT-150204001000"]
    for task in street[:2]:  # the demo handler's unit has started: evidence, not yet submitted
        services.evidence_add(task_id=task.pk, actor=admin, text=EVIDENCE[1])
    others = [t for t in tasks if t.unit.code != "BT-150204001000"]
    for n, task in enumerate(others[:12]):
        _evidence(task, admin)
        if n < 2:
            _review(task, reviewer, 4 if n == 0 else 0)  # one pass, one failure to rectify


@transaction.atomic
def seed_demo() -> None:
    indicators_import(data=INDICATORS.read_bytes(), format="yaml")
    admin = User.objects.get(username="admin")
    reviewer = User.objects.get(username="reviewer")
    today = timezone.localdate()
    _last_month(admin, reviewer, today)
    _this_month(admin, reviewer, today)
