"""Public, mobile-first pages of volunteer service (portal)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.core.errors import InvalidInput
from wenming.org.models import Region, RegionLevel

from .. import documents, selectors, services
from ..forms import NeedForm, RateForm, RegistrationForm, TrackForm, VerifyForm
from ..models import (
    Activity,
    ActivityStatus,
    Center,
    Need,
    ServiceType,
    Shift,
    Signup,
    Team,
    Visibility,
    Volunteer,
)
from ..states import NeedAction, NeedState
from .common import current_volunteer, float_or_none

TRACK_SESSION_KEY = "volunteers_tracked_needs"


def hub(request: HttpRequest) -> HttpResponse:
    """Activities open for sign-up, nearest first when the phone shares its position."""
    lat, lon = float_or_none(request.GET.get("lat")), float_or_none(request.GET.get("lon"))
    service_type = request.GET.get("service_type", "")
    rows = selectors.open_activities(
        lat=lat,
        lon=lon,
        service_type=service_type if service_type in ServiceType.values else "",
    )
    volunteer = (
        Volunteer.objects.filter(user_id=request.user.pk).first()
        if request.user.is_authenticated
        else None
    )
    return render(
        request,
        "volunteers/portal/hub.html",
        {
            "rows": rows[:30],
            "located": lat is not None,
            "service_types": ServiceType.choices,
            "service_type": service_type,
            "volunteer": volunteer,
        },
    )


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        Activity.objects.select_related("center", "team").exclude(status=ActivityStatus.CANCELLED),
        pk=pk,
    )
    volunteer = (
        Volunteer.objects.filter(user_id=request.user.pk).first()
        if request.user.is_authenticated
        else None
    )
    mine = (
        set(
            Signup.objects.filter(
                volunteer=volunteer, status="active", shift__activity=activity
            ).values_list("shift_id", flat=True)
        )
        if volunteer
        else set()
    )
    return render(
        request,
        "volunteers/portal/activity_detail.html",
        {
            "activity": activity,
            "shifts": selectors.shifts_with_room(activity)[:40],
            "mine": mine,
            "volunteer": volunteer,
        },
    )


@login_required
@require_POST
def shift_signup(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = current_volunteer(request)
    shift = get_object_or_404(Shift, pk=pk)
    services.signup_create(shift=shift, volunteer=volunteer)
    messages.success(request, _("You are signed up. See you there!"))
    return redirect("volunteer_portal:activity", pk=shift.activity_id)


def register(request: HttpRequest) -> HttpResponse:
    """Self-registration (real name, identity number, phone, skills, availability, community)."""
    if request.user.is_authenticated and Volunteer.objects.filter(user_id=request.user.pk):
        return redirect("volunteer_portal:me")
    needs_password = not request.user.is_authenticated
    form = RegistrationForm(request.POST or None, needs_password=needs_password)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            volunteer = services.volunteer_register(
                real_name=data["real_name"],
                id_number=data["id_number"],
                phone=data["phone"],
                home_region=data["home_region"],
                skills=data["skills"],
                availability=data["availability"],
                user=request.user if request.user.is_authenticated else None,  # type: ignore[arg-type]
                password=data.get("password"),
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            if not request.user.is_authenticated:
                login(request, volunteer.user, backend="django.contrib.auth.backends.ModelBackend")  # type: ignore[arg-type]
            messages.success(
                request, _("Thank you! Your registration waits for the center's review.")
            )
            return redirect("volunteer_portal:me")
    return render(request, "volunteers/portal/register.html", {"form": form})


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The volunteer's own page: hours, stars, shifts with check-in, orders of their teams."""
    volunteer = (
        Volunteer.objects.select_related("center", "home_region")
        .filter(user_id=request.user.pk)  # type: ignore[misc]
        .first()
    )
    if volunteer is None:
        return redirect("volunteer_portal:register")
    now = timezone.now()
    signups = selectors.volunteer_signups(volunteer)
    return render(
        request,
        "volunteers/portal/me.html",
        {
            "volunteer": volunteer,
            "progress": selectors.star_progress(volunteer),
            "upcoming": signups.filter(shift__ends_at__gte=now - timedelta(hours=3)).order_by(
                "shift__starts_at"
            )[:10],
            "history": volunteer.ledger_entries.select_related("activity")[:20],
            "orders": Need.objects.filter(
                state=NeedState.DISPATCHED, team__in=volunteer.teams.all()
            ).select_related("team"),
            "teams": volunteer.teams.all(),
            "certificates": volunteer.certificates.all()[:5],
            "now": now,
        },
    )


def _position(request: HttpRequest) -> dict[str, object]:
    return {
        "lat": float_or_none(request.POST.get("lat")),
        "lon": float_or_none(request.POST.get("lon")),
        "code": request.POST.get("code") or None,
    }


@login_required
@require_POST
def signup_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Check in, check out, cancel or swap one of the volunteer's own sign-ups."""
    volunteer = current_volunteer(request)
    signup = get_object_or_404(Signup, pk=pk, volunteer=volunteer)
    if action == "check-in":
        services.signup_check_in(signup=signup, volunteer=volunteer, **_position(request))  # type: ignore[arg-type]
        messages.success(request, _("Checked in. Thank you for serving!"))
    elif action == "check-out":
        services.signup_check_out(signup=signup, volunteer=volunteer, **_position(request))  # type: ignore[arg-type]
        messages.success(request, _("Checked out. The organizer will confirm your hours."))
    elif action == "cancel":
        services.signup_cancel(signup=signup, volunteer=volunteer)
        messages.success(request, _("Your sign-up was cancelled."))
    elif action == "swap":
        target = get_object_or_404(Shift, pk=request.POST.get("to_shift") or 0)
        services.signup_swap(signup=signup, volunteer=volunteer, to_shift=target)
        messages.success(request, _("You moved to another shift."))
    else:
        raise Http404
    return redirect(request.POST.get("next") or "volunteer_portal:me")


@login_required
def qr_checkin(request: HttpRequest, activity: int, code: str) -> HttpResponse:
    """Where the on-site QR code leads: check in (or out) to today's shift of the activity."""
    volunteer = current_volunteer(request)
    today = timezone.localdate()
    signup = (
        Signup.objects.filter(
            volunteer=volunteer,
            status="active",
            shift__activity_id=activity,
            shift__starts_at__date=today,
        )
        .select_related("shift__activity")
        .first()
    )
    return render(
        request,
        "volunteers/portal/qr_checkin.html",
        {"signup": signup, "code": code, "activity": get_object_or_404(Activity, pk=activity)},
    )


@login_required
@require_POST
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A team member takes (接单) or hands back a need dispatched to the team."""
    volunteer = current_volunteer(request)
    need = get_object_or_404(Need, pk=pk)
    if action == "take":
        services.need_take(need=need, volunteer=volunteer)
        messages.success(request, _("You took the order; it is now an activity of your team."))
    elif action == "decline":
        services.need_decline(need=need, volunteer=volunteer, note=request.POST.get("note", ""))
        messages.success(request, _("The order went back to the center."))
    else:
        raise Http404
    return redirect("volunteer_portal:me")


def need_new(request: HttpRequest) -> HttpResponse:
    """Post a need (点单): what, where, when, how many people, contact."""
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_submit(user=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            form.add_error(None, str(exc.message))
        else:
            _remember(request, need)
            messages.success(
                request, _("Your need was posted. Its code is %(code)s.") % {"code": need.code}
            )
            return redirect("volunteer_portal:need", code=need.code)
    return render(request, "volunteers/portal/need_form.html", {"form": form})


def _remember(request: HttpRequest, need: Need) -> None:
    tracked = set(request.session.get(TRACK_SESSION_KEY, []))
    tracked.add(need.code)
    request.session[TRACK_SESSION_KEY] = sorted(tracked)[-20:]


def need_track(request: HttpRequest) -> HttpResponse:
    """Find one's need by its code and the contact phone."""
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        need = Need.objects.filter(code=form.cleaned_data["code"].strip().upper()).first()
        if need and services.need_requester_matches(need, form.cleaned_data["phone"]):
            _remember(request, need)
            return redirect("volunteer_portal:need", code=need.code)
        form.add_error(None, _("No need matches this code and phone number."))
    return render(request, "volunteers/portal/need_track.html", {"form": form})


def need_status(request: HttpRequest, code: str) -> HttpResponse:
    """The requester's view of a need: public timeline, rating form when served."""
    if code not in request.session.get(TRACK_SESSION_KEY, []):
        return redirect("volunteer_portal:need_track")
    need = get_object_or_404(Need.objects.select_related("center", "team"), code=code)
    if request.method == "POST":
        _requester_action(request, need)
        return redirect("volunteer_portal:need", code=code)
    return render(
        request,
        "volunteers/portal/need_status.html",
        {
            "need": need,
            "events": need.events.filter(visibility=Visibility.PUBLIC),
            "rate_form": RateForm(),
            "can_cancel": need.state in (NeedState.SUBMITTED, NeedState.ACCEPTED),
        },
    )


def _requester_action(request: HttpRequest, need: Need) -> None:
    phone = request.POST.get("phone", "")
    if request.POST.get("action") == NeedAction.CANCEL:
        if need.state not in (NeedState.SUBMITTED, NeedState.ACCEPTED):
            raise InvalidInput(_("Only a need not yet dispatched can be cancelled here."))
        services.need_cancel(need=need, actor=None, phone=phone, note=request.POST.get("note", ""))
        messages.success(request, _("Your need was cancelled."))
        return
    form = RateForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("Choose a rating from 1 to 5 stars."))
    services.need_rate(need=need, phone=phone, **form.cleaned_data)
    messages.success(request, _("Thank you for your rating."))


def leaderboard(request: HttpRequest) -> HttpResponse:
    """Volunteers by confirmed hours in a region or a team, and teams by hours."""
    districts = Region.objects.filter(
        level__in=[RegionLevel.DISTRICT, RegionLevel.STREET], centers__isnull=False
    ).order_by("path")
    region = districts.filter(code=request.GET.get("region", "")).first()
    team = (
        Team.objects.filter(pk=request.GET.get("team") or 0).first()
        if request.GET.get("team", "").isdigit()
        else None
    )
    return render(
        request,
        "volunteers/portal/leaderboard.html",
        {
            "volunteers": selectors.leaderboard_volunteers(region=region, team=team),
            "teams": selectors.leaderboard_teams(region=region),
            "regions": districts,
            "all_teams": Team.objects.filter(is_active=True).order_by("name"),
            "region": region,
            "team": team,
            "tab": request.GET.get("tab", "volunteers"),
        },
    )


def center_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A practice center's public page: statistics, teams, upcoming activities, sub-centers."""
    center = get_object_or_404(Center.objects.select_related("region", "parent"), pk=pk)
    return render(
        request,
        "volunteers/portal/center.html",
        {
            "center": center,
            "stats": selectors.center_stats(center),
            "teams": center.teams.filter(is_active=True).annotate(n=Count("members")),
            "activities": selectors.open_activities(region=center.region)[:10],
            "children": center.children.order_by("region__path"),
        },
    )


def centers(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    rows = Center.objects.select_related("region")
    if query:
        rows = rows.filter(Q(name__contains=query) | Q(address__contains=query))
    return render(request, "volunteers/portal/centers.html", {"centers": rows[:100], "q": query})


def certificate_verify(request: HttpRequest) -> HttpResponse:
    """Anyone checks a certificate's verification code."""
    form = VerifyForm(request.GET or None)
    certificate = None
    if form.is_valid():
        certificate = selectors.certificate_by_code(form.cleaned_data["code"])
    return render(
        request,
        "volunteers/portal/certificate_verify.html",
        {"form": form, "certificate": certificate, "checked": form.is_bound and form.is_valid()},
    )


@login_required
@require_POST
def certificate_request(request: HttpRequest) -> HttpResponse:
    volunteer = current_volunteer(request)
    certificate = services.certificate_issue(volunteer=volunteer, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Certificate %(code)s issued.") % {"code": certificate.code})
    return redirect("volunteer_portal:me")


@login_required
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate PDF, for its volunteer or staff in scope."""
    certificate = selectors.certificate_by_code(code)
    if certificate is None or not _may_download(request, certificate):
        raise Http404
    verify = (
        request.build_absolute_uri(reverse("volunteer_portal:verify")) + f"?code={certificate.code}"
    )
    response = HttpResponse(
        documents.certificate_pdf(certificate, verify), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="{documents.certificate_filename(certificate)}"'
    )
    return response


def _may_download(request: HttpRequest, certificate: object) -> bool:
    volunteer = certificate.volunteer  # type: ignore[attr-defined]
    if volunteer.user_id == request.user.pk:
        return True
    return selectors.volunteers_for_staff_or_none(request.user).filter(pk=volunteer.pk).exists()
