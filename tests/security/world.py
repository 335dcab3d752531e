"""One object of every kind an URL can name, inside the cast's street (青山路街道) and outside it
(万青路街道), so the authorization matrix can ask every route about both."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Model, QuerySet
from django.utils import timezone

from wenming.accountability.models import Exposure, ListEntry, RedBlackList
from wenming.api.open311.selectors import service_code
from wenming.assessment.models import Cycle, Task
from wenming.cases import services as case_services
from wenming.cases.models import Case, CaseRequest, Channel
from wenming.honors.models import Honoree
from wenming.hotline.models import KnowledgeItem
from wenming.inspections.models import Assignment, InspectionRound, ItemResult, PointSite
from wenming.livelihood.models import LivelihoodProject, ProgressReport, ProjectComment
from wenming.notify.models import Notification
from wenming.org.models import Region, Unit
from wenming.portal.models import BoardMessage
from wenming.privacy.models import DataRequest
from wenming.triage.models import SuggestionModel
from wenming.volunteers.models import (
    Activity,
    Center,
    Certificate,
    LedgerEntry,
    Need,
    Shift,
    Signup,
    Team,
    Volunteer,
)

INSIDE = "150204001000"  # 青山路街道: the scope of handler, unitlead and the street roles
OUTSIDE = "150204002000"  # 万青路街道: the outsider's street
INSIDE_GRID, OUTSIDE_GRID = "15020400100105", "150204002001"


@dataclass
class World:
    """kwargs for each URL parameter name: `inside` for in-scope objects, `outside` for others."""

    inside: dict[str, Any] = field(default_factory=dict)
    outside: dict[str, Any] = field(default_factory=dict)

    def put(self, name: str, inside: Any, outside: Any = None) -> None:
        self.inside[name] = inside
        self.outside[name] = inside if outside is None else outside


def _in(queryset: QuerySet[Any], path: str, code: str) -> Model:
    prefix = Region.objects.get(code=code).path
    found = queryset.filter(**{f"{path}__path__startswith": prefix}).order_by("pk").first()
    assert found is not None, f"no {queryset.model.__name__} in {code}"
    return found


def _case(cast: Any, grid: str, unit_code: str, category: Any, title: str) -> Case:
    region = Region.objects.get(code=grid)
    case = case_services.case_submit(
        channel=Channel.SNAPSHOT,
        title=title,
        description="小区门口垃圾三天没人清运",
        reporter_name="李女士",
        reporter_phone="13912345678",
        category=category,
        lat=region.centroid_lat,
        lon=region.centroid_lon,
        address="青山区",
    )
    case = case_services.case_register(case_id=case.pk, actor=cast.admin)
    unit = Unit.objects.get(code=unit_code)
    return case_services.case_dispatch(case_id=case.pk, actor=cast.admin, unit=unit)


def build(cast: Any) -> World:
    from wenming.cases.models import Category

    world = World()
    category = Category.objects.filter(parent__isnull=False, is_active=True).order_by("code")[0]
    inside = _case(cast, INSIDE_GRID, "BT-150204001000", category, "六合成社区垃圾堆放")
    outside = _case(cast, OUTSIDE_GRID, "BT-150204002000", category, "万青路垃圾堆放")
    inside = case_services.case_sign(case_id=inside.pk, actor=cast.handler)
    world.put("code", inside.code, outside.code)
    case_services.case_request_extension(
        case_id=inside.pk, actor=cast.handler, extra_days=2, reason="需要协调物业"
    )
    world.put("request_id", CaseRequest.objects.get(case=inside).pk)
    world.put("slug", "comment")

    message = BoardMessage.objects.create(
        code="LY0001", submit_token="t-1", kind="suggestion", title="建议", body="多设垃圾桶"
    )
    world.put("message_pk", message.pk)
    mine = Notification.objects.create(recipient=cast.handler, kind="case", title="新案件")
    theirs = Notification.objects.create(recipient=cast.outsider, kind="case", title="新案件")
    world.put("notification_id", mine.pk, theirs.pk)
    world.put("knowledge_pk", KnowledgeItem.objects.order_by("pk").first().pk)
    model = SuggestionModel.objects.create(
        version=1, trained_at=timezone.now(), source="cases", pipeline=b"", sample_count=0
    )
    world.put("model_id", model.pk)

    _volunteers(world)
    _accountability(world, cast, inside, outside)
    _inspections(world)
    _assessment(world)
    _livelihood(world, cast)
    request = DataRequest.objects.create(
        code="PR0001", kind="deletion", phone_hash="0" * 64, phone_masked="139****5678"
    )
    world.put("data_request_pk", request.pk)
    world.put("region_code", INSIDE, OUTSIDE)
    world.put("fmt", "json")  # Open311's format suffix
    world.put("spreadsheet", "xlsx")
    world.put("service_code", service_code(category))
    world.put("message_code", message.code)
    world.put("need_action", "accept")
    world.put("signup_action", "cancel")
    world.put("order_action", "take")
    world.put("list_move", "approve")
    world.put("token", "no-such-token")
    return world


def _volunteers(world: World) -> None:
    world.put("center_pk", _in(Center.objects, "region", INSIDE).pk, _outside_center().pk)
    world.put("volunteer_pk", Volunteer.objects.order_by("pk").first().pk)
    world.put("team_pk", Team.objects.order_by("pk").first().pk)
    world.put("need_pk", Need.objects.order_by("pk").first().pk)
    world.put("need_code", Need.objects.order_by("pk").first().code)
    activity = Activity.objects.order_by("pk").first()
    world.put("activity_pk", activity.pk)
    world.put("checkin_key", activity.checkin_key)
    world.put("shift_pk", Shift.objects.order_by("pk").first().pk)
    world.put("signup_pk", Signup.objects.order_by("pk").first().pk)
    world.put("ledger_pk", LedgerEntry.objects.order_by("pk").first().pk)
    world.put("certificate_code", Certificate.objects.order_by("pk").first().code)


def _outside_center() -> Center:
    return _in(Center.objects, "region", OUTSIDE)


def _accountability(world: World, cast: Any, inside: Case, outside: Case) -> None:
    street = Region.objects.get(code=INSIDE)
    listing = RedBlackList.objects.create(
        title="十一月红黑榜",
        region=street,
        period_kind="month",
        period_start=date(2026, 10, 1),
        created_by=cast.dispatcher,
    )
    unit = Unit.objects.get(code="BT-150204001000")
    entry = ListEntry.objects.create(
        list=listing, color="red", position=1, unit=unit, unit_name=unit.name
    )
    other = RedBlackList.objects.create(
        title="十一月红黑榜",
        region=Region.objects.get(code=OUTSIDE),
        period_kind="month",
        period_start=date(2026, 10, 1),
        created_by=cast.dispatcher,
    )
    world.put("list_pk", listing.pk, other.pk)
    world.put("entry_pk", entry.pk)
    exposures = [
        Exposure.objects.create(
            case=case,
            title="曝光",
            summary="垃圾堆放",
            region=case.region,
            reported_at=timezone.now() - timedelta(days=1),
        )
        for case in (inside, outside)
    ]
    world.put("exposure_pk", exposures[0].pk, exposures[1].pk)
    honoree = Honoree.objects.order_by("pk").first()
    world.put("honoree_pk", honoree.pk)


def _inspections(world: World) -> None:
    call_command("seed_demo_inspections", verbosity=0)
    world.put(
        "site_pk",
        _in(PointSite.objects, "region", INSIDE).pk,
        _in(PointSite.objects, "region", OUTSIDE).pk,
    )
    world.put("round_pk", InspectionRound.objects.order_by("pk").first().pk)
    world.put("assignment_pk", Assignment.objects.order_by("pk").first().pk)
    world.put("finding_pk", ItemResult.objects.filter(outcome="fail").order_by("pk").first().pk)


def _assessment(world: World) -> None:
    world.put("cycle_pk", Cycle.objects.order_by("pk").first().pk)
    world.put("task_pk", Task.objects.order_by("pk").first().pk)


def _livelihood(world: World, cast: Any) -> None:
    projects = [
        LivelihoodProject.objects.create(
            year=2026,
            code=f"MS-{code}",
            title="老旧小区改造",
            lead_unit=Unit.objects.get(code=f"BT-{code}"),
            region=Region.objects.get(code=code),
            start_month=date(2026, 1, 1),
        )
        for code in (INSIDE, OUTSIDE)
    ]
    reports = [
        ProgressReport.objects.create(
            project=project, month=date(2026, 10, 1), text="完成3个小区", submitted_by=cast.admin
        )
        for project in projects
    ]
    comments = [
        ProjectComment.objects.create(project=project, submit_token=f"c-{project.pk}", body="好")
        for project in projects
    ]
    world.put("project_pk", projects[0].pk, projects[1].pk)
    world.put("report_pk", reports[0].pk, reports[1].pk)
    world.put("comment_pk", comments[0].pk, comments[1].pk)


def users(cast: Any) -> dict[str, Any]:
    people = dict(cast)
    people["anonymous"] = None
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()
    return people
