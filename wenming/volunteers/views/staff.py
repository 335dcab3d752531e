"""Staff pages of volunteer service (center staff and admins, scoped by the center's region)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wenming.audit.services import audit_record
from wenming.core.errors import InvalidInput
from wenming.core.scope import scope_filter
from wenming.org.models import Region, RegionLevel

from .. import documents, selectors, services
from ..forms import (
    ActivityForm,
    CorrectionForm,
    DispatchForm,
    HoursForm,
    MemberForm,
    NoteForm,
    RecordHoursForm,
    TeamForm,
)
from ..models import (
    Activity,
    ActivityStatus,
    EntryKind,
    LedgerEntry,
    Need,
    ServiceType,
    Shift,
    Signup,
    SignupStatus,
    Volunteer,
    VolunteerStatus,
)
from ..states import NeedAction, NeedState, allowed_actions
from .common import paged, sorted_by


def _form_errors(form: object) -> InvalidInput:
    errors = getattr(form, "errors", {})
    return InvalidInput(" ".join(str(m) for field in errors.values() for m in field))


@login_required
def center_list(request: HttpRequest) -> HttpResponse:
    """Practice centers in scope, with their statistics."""
    centers = selectors.centers_for_staff(request.user)
    level = request.GET.get("level", "")
    if level:
        centers = centers.filter(level=level)
    centers = centers.annotate(
        n_volunteers=Count("volunteers", filter=Q(volunteers__status="approved"), distinct=True),
        n_teams=Count("teams", distinct=True),
        n_activities=Count("activities", distinct=True),
    )
    rows, sort = sorted_by(
        request,
        centers,
        {"name": "region__path", "volunteers": "n_volunteers", "activities": "n_activities"},
        "name",
    )
    return render(
        request,
        "volunteers/staff/center_list.html",
        {"page": paged(request, rows), "sort": sort, "level": level},
    )


@login_required
def center_detail(request: HttpRequest, pk: int) -> HttpResponse:
    center = get_object_or_404(selectors.centers_for_staff(request.user), pk=pk)
    return render(
        request,
        "volunteers/staff/center_detail.html",
        {
            "center": center,
            "stats": selectors.center_stats(center),
            "children": center.children.select_related("region").order_by("region__path"),
            "teams": center.teams.select_related("leader").annotate(n=Count("members")),
        },
    )


@login_required
def volunteer_list(request: HttpRequest) -> HttpResponse:
    """Volunteers in scope; filter by status and name/number; sort by name, date or hours."""
    rows = selectors.volunteers_for_staff(request.user).annotate(hours=selectors.HOURS)
    status, query = request.GET.get("status", ""), request.GET.get("q", "").strip()
    if status in VolunteerStatus.values:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(Q(real_name__contains=query) | Q(number__startswith=query))
    rows, sort = sorted_by(
        request, rows, {"created": "created_at", "name": "real_name", "hours": "hours"}, "-created"
    )
    return render(
        request,
        "volunteers/staff/volunteer_list.html",
        {
            "page": paged(request, rows),
            "statuses": VolunteerStatus.choices,
            "status": status,
            "q": query,
            "sort": sort,
        },
    )


def _phone_shown(
    request: HttpRequest, kind: str, pk: int, masked: str, full: Callable[[], str]
) -> str:
    """Masked; a POST (the page's "show full number" button) reveals it, audited."""
    if request.method != "POST" or not masked:
        return masked
    audit_record(
        action=f"{kind}.reveal_phone",
        request=request,
        object_type=kind,
        object_id=pk,
        summary="phone revealed",
    )
    return full()


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_for_staff(request.user, pk)
    phone = _phone_shown(request, "volunteer", pk, volunteer.phone_masked, lambda: volunteer.phone)
    return render(
        request,
        "volunteers/staff/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "phone": phone,
            "revealed": phone != volunteer.phone_masked,
            "progress": selectors.star_progress(volunteer),
            "entries": volunteer.ledger_entries.select_related("activity", "corrects")[:50],
            "signups": selectors.volunteer_signups(volunteer).order_by("-shift__starts_at")[:20],
            "teams": volunteer.teams.all(),
            "certificates": volunteer.certificates.all()[:10],
            "record_form": RecordHoursForm(),
            "note_form": NoteForm(),
        },
    )


@login_required
@require_POST
def volunteer_review(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_for_staff(request.user, pk)
    if request.POST.get("decision") == "approve":
        volunteer = services.volunteer_approve(volunteer=volunteer, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Approved: volunteer number %(n)s.") % {"n": volunteer.number})
    else:
        services.volunteer_reject(
            volunteer=volunteer,
            actor=request.user,  # type: ignore[arg-type]
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("The registration was rejected."))
    return redirect("volunteers:volunteer_detail", pk=pk)


@login_required
@require_POST
def volunteer_record_hours(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_for_staff(request.user, pk)
    form = RecordHoursForm(request.POST)
    if not form.is_valid():
        raise _form_errors(form)
    services.hours_record(volunteer=volunteer, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    messages.success(request, _("The hours were added to the ledger."))
    return redirect("volunteers:volunteer_detail", pk=pk)


@login_required
@require_POST
def volunteer_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_for_staff(request.user, pk)
    certificate = services.certificate_issue(volunteer=volunteer, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Certificate %(code)s issued.") % {"code": certificate.code})
    return redirect("volunteers:volunteer_detail", pk=pk)


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.teams_for_staff(request.user).annotate(n_members=Count("members"))
    query = request.GET.get("q", "").strip()
    if query:
        teams = teams.filter(name__contains=query)
    rows, sort = sorted_by(request, teams, {"name": "name", "members": "n_members"}, "name")
    form = TeamForm(centers=selectors.centers_for_staff(request.user))
    if request.method == "POST":
        form = TeamForm(request.POST, centers=selectors.centers_for_staff(request.user))
        if form.is_valid():
            team = services.team_create(**form.cleaned_data)
            messages.success(request, _("Team created."))
            return redirect("volunteers:team_detail", pk=team.pk)
    return render(
        request,
        "volunteers/staff/team_list.html",
        {"page": paged(request, rows), "q": query, "sort": sort, "form": form},
    )


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_for_staff(request.user, pk)
    if request.method == "POST":
        _team_change(request, team)
        return redirect("volunteers:team_detail", pk=pk)
    members = team.members.annotate(hours=selectors.HOURS).order_by("-hours", "number")
    return render(
        request,
        "volunteers/staff/team_detail.html",
        {"team": team, "members": members, "form": MemberForm()},
    )


def _team_change(request: HttpRequest, team: object) -> None:
    action = request.POST.get("action")
    form = MemberForm(request.POST)
    if not form.is_valid():
        raise _form_errors(form)
    volunteer = Volunteer.objects.filter(number=form.cleaned_data["number"].strip()).first()
    if volunteer is None:
        raise InvalidInput(_("No volunteer has this number."))
    if action == "add":
        services.team_member_add(team=team, volunteer=volunteer)  # type: ignore[arg-type]
    elif action == "remove":
        services.team_member_remove(team=team, volunteer=volunteer)  # type: ignore[arg-type]
    elif action == "leader":
        services.team_set_leader(team=team, volunteer=volunteer)  # type: ignore[arg-type]
    messages.success(request, _("The team was updated."))


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    """Needs in scope; filter by state, overdue and text; sort by date or deadline."""
    rows = selectors.needs_for_staff(request.user)
    state, query = request.GET.get("state", ""), request.GET.get("q", "").strip()
    if state in NeedState.values:
        rows = rows.filter(state=state)
    if request.GET.get("overdue"):
        rows = rows.filter(due_at__lt=timezone.now())
    if query:
        rows = rows.filter(Q(code__startswith=query) | Q(title__contains=query))
    rows, sort = sorted_by(
        request, rows, {"created": "created_at", "due": "due_at", "starts": "starts_at"}, "-created"
    )
    return render(
        request,
        "volunteers/staff/need_list.html",
        {
            "page": paged(request, rows),
            "states": NeedState.choices,
            "state": state,
            "q": query,
            "sort": sort,
            "overdue": bool(request.GET.get("overdue")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_for_staff(request.user, pk)
    phone = _phone_shown(
        request, "need", pk, need.requester_phone_masked, lambda: need.requester_phone
    )
    teams = selectors.teams_for_staff(request.user).filter(is_active=True)
    return render(
        request,
        "volunteers/staff/need_detail.html",
        {
            "need": need,
            "phone": phone,
            "revealed": phone != need.requester_phone_masked,
            "events": need.events.select_related("actor"),
            "allowed": allowed_actions(need.state),
            "dispatch_form": DispatchForm(teams=teams),
            "activity": getattr(need, "activity", None),
        },
    )


@login_required
@require_POST
def need_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One staff move of a need: accept, reject, dispatch, publish, complete or cancel."""
    need = selectors.need_for_staff(request.user, pk)
    note, actor = request.POST.get("note", ""), request.user
    if action == NeedAction.DISPATCH:
        team = selectors.team_for_staff(request.user, int(request.POST.get("team") or 0))
        services.need_dispatch(need=need, team=team, actor=actor, note=note)  # type: ignore[arg-type]
    elif action in STAFF_MOVES:
        STAFF_MOVES[action](need=need, actor=actor, note=note)
    else:
        return HttpResponse(status=404)
    messages.success(request, _("Done: %(action)s.") % {"action": NeedAction(action).label})
    return redirect("volunteers:need_detail", pk=pk)


STAFF_MOVES: dict[str, Callable[..., Need]] = {
    NeedAction.ACCEPT: services.need_accept,
    NeedAction.REJECT: services.need_reject,
    NeedAction.PUBLISH: services.need_publish,
    NeedAction.COMPLETE: services.need_complete,
    NeedAction.CANCEL: services.need_cancel,
}


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.activities_for_staff(request.user).annotate(n_shifts=Count("shifts"))
    kind, query = request.GET.get("service_type", ""), request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if kind in ServiceType.values:
        rows = rows.filter(service_type=kind)
    if status in ActivityStatus.values:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(Q(title__contains=query) | Q(address__contains=query))
    rows, sort = sorted_by(request, rows, {"created": "created_at", "title": "title"}, "-created")
    return render(
        request,
        "volunteers/staff/activity_list.html",
        {
            "page": paged(request, rows),
            "service_types": ServiceType.choices,
            "statuses": ActivityStatus.choices,
            "service_type": kind,
            "status": status,
            "q": query,
            "sort": sort,
        },
    )


def _activity_form(request: HttpRequest, data: object = None) -> ActivityForm:
    centers = selectors.centers_for_staff(request.user)
    regions = scope_filter(
        request.user,
        Region.objects.filter(level=RegionLevel.COMMUNITY),
        region_field="",
        roles=services.STAFF_ROLES,
    )
    return ActivityForm(
        data,  # type: ignore[arg-type]
        centers=centers,
        teams=selectors.teams_for_staff(request.user).filter(is_active=True),
        regions=regions,
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    selectors.require_staff(request.user)
    form = _activity_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = _create_from(form.cleaned_data, request.user)
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Activity published."))
            return redirect("volunteers:activity_detail", pk=activity.pk)
    return render(request, "volunteers/staff/activity_form.html", {"form": form})


def _create_from(data: dict, actor: object) -> Activity:
    place = services.Place(
        region=data["region"],
        address=data["address"],
        lat=data["lat"],
        lon=data["lon"],
        radius_m=data["radius_m"],
    )
    common = {
        "center": data["center"],
        "title": data["title"],
        "service_type": data["service_type"],
        "place": place,
        "capacity": data["capacity"],
        "actor": actor,
        "description": data["description"],
        "team": data["team"],
        "team_only": data["team_only"],
    }
    if data["kind"] == "one_off":
        return services.activity_create_one_off(
            starts_at=data["starts_at"], ends_at=data["ends_at"], **common
        )
    roster = services.Roster(
        first=data["first_date"],
        last=data["last_date"],
        weekdays=data["weekdays"],
        start=data["start_time"],
        end=data["end_time"],
    )
    return services.activity_create_recurring(roster=roster, **common)


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_for_staff(request.user, pk)
    shifts = activity.shifts.annotate(
        taken=Count("signups", filter=Q(signups__status=SignupStatus.ACTIVE)),
        checked_in=Count("signups", filter=Q(signups__checked_in_at__isnull=False)),
    ).order_by("starts_at")
    when = request.GET.get("when", "upcoming")
    now = timezone.now()
    shifts = (
        shifts.filter(ends_at__gte=now)
        if when == "upcoming"
        else shifts.filter(ends_at__lt=now).reverse()
    )
    return render(
        request,
        "volunteers/staff/activity_detail.html",
        {
            "activity": activity,
            "page": paged(request, shifts, 20),
            "when": when,
            "checkin_url": request.build_absolute_uri(
                reverse(
                    "volunteer_portal:qr_checkin",
                    args=[activity.pk, services.checkin_code(activity, timezone.localdate())],
                )
            ),
        },
    )


@login_required
@require_POST
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_for_staff(request.user, pk)
    services.activity_cancel(activity=activity)
    messages.success(request, _("The activity was cancelled."))
    return redirect("volunteers:activity_detail", pk=pk)


@login_required
def shift_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A shift's roster: who signed up, checked in and out, and the hours to confirm."""
    selectors.require_staff(request.user)
    activities = selectors.activities_for_staff(request.user)
    shift = get_object_or_404(
        Shift.objects.filter(activity__in=activities).select_related("activity"), pk=pk
    )
    signups = shift.signups.select_related("volunteer").order_by("status", "created_at")
    return render(
        request,
        "volunteers/staff/shift_detail.html",
        {"shift": shift, "signups": signups, "form": HoursForm()},
    )


@login_required
@require_POST
def signup_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    signup: Signup = selectors.signup_for_staff(request.user, pk)
    form = HoursForm(request.POST)
    if not form.is_valid():
        raise _form_errors(form)
    entry = services.hours_confirm(
        signup=signup,
        actor=request.user,  # type: ignore[arg-type]
        hours=form.cleaned_data["hours"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("%(h)s h confirmed.") % {"h": entry.hours})
    return redirect("volunteers:shift_detail", pk=signup.shift_id)


@login_required
@require_POST
def shift_confirm_all(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.require_staff(request.user)
    shift = get_object_or_404(
        Shift.objects.filter(activity__in=selectors.activities_for_staff(request.user)), pk=pk
    )
    count = services.shift_confirm_all(shift=shift, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("%(n)s sign-ups confirmed.") % {"n": count})
    return redirect("volunteers:shift_detail", pk=pk)


@login_required
def ledger_list(request: HttpRequest) -> HttpResponse:
    """The hours ledger in scope (read-only; corrections are appended)."""
    rows = selectors.ledger_for_staff(request.user)
    kind, query = request.GET.get("kind", ""), request.GET.get("q", "").strip()
    if kind in EntryKind.values:
        rows = rows.filter(kind=kind)
    if query:
        rows = rows.filter(Q(volunteer__number__startswith=query) | Q(volunteer__real_name=query))
    rows, sort = sorted_by(
        request,
        rows,
        {"recorded": "created_at", "date": "service_date", "hours": "hours"},
        "-recorded",
    )
    return render(
        request,
        "volunteers/staff/ledger_list.html",
        {
            "page": paged(request, rows, 50),
            "kinds": EntryKind.choices,
            "kind": kind,
            "q": query,
            "sort": sort,
        },
    )


@login_required
def ledger_correct(request: HttpRequest, pk: int) -> HttpResponse:
    entry: LedgerEntry = get_object_or_404(selectors.ledger_for_staff(request.user), pk=pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ledger_correct(entry=entry, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("The correction was added to the ledger."))
        return redirect("volunteers:ledger_list")
    return render(
        request,
        "volunteers/staff/ledger_correct.html",
        {"entry": entry, "form": form, "corrections": entry.corrections.all()},
    )


@login_required
def activity_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """Today's check-in QR code of an activity (SVG), for staff in scope to print or show."""
    activity = selectors.activity_for_staff(request.user, pk)
    url = request.build_absolute_uri(
        reverse(
            "volunteer_portal:qr_checkin",
            args=[activity.pk, services.checkin_code(activity, timezone.localdate())],
        )
    )
    return HttpResponse(documents.qr_svg(url), content_type="image/svg+xml")
