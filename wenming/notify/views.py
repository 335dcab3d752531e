from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .selectors import inbox, inbox_kinds, unread_count
from .services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 20


@login_required
@require_GET
def inbox_list(request: HttpRequest) -> HttpResponse:
    """The user's messages, paged; filter unread/kind, sort newest or oldest first."""
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    sort = request.GET.get("sort", "new")
    messages = inbox(
        user=request.user, unread_only=state == "unread", kind=kind, oldest_first=sort == "old"
    )
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "kind": kind,
        "sort": sort,
        "kinds": inbox_kinds(user=request.user),
        "unread": unread_count(user=request.user),
    }
    return render(request, "notify/inbox.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification_mark_read(user=request.user, notification_id=notification_id)  # type: ignore[arg-type]
    return _back(request)


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark the message read and follow its link (only to this site)."""
    notification = notification_mark_read(user=request.user, notification_id=notification_id)  # type: ignore[arg-type]
    if _is_safe(request, notification.url):
        return HttpResponseRedirect(notification.url)
    return redirect("notify:inbox")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user)  # type: ignore[arg-type]
    return _back(request)


@require_GET
def navbar_badge(request: HttpRequest) -> HttpResponse:
    """The bell with the unread count, polled by htmx; nothing for a signed-out session."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)  # htmx leaves the bell as it is
    count = unread_count(user=request.user)
    return render(request, "notify/_badge_count.html", {"count": count})


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    return HttpResponseRedirect(target if _is_safe(request, target) else reverse("notify:inbox"))


def _is_safe(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
