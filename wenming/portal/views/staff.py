"""Board moderation for staff (operator, dispatcher, admin): the queue, one message with its
actions (approve/refuse, reply, turn into a case). Others get 403; anonymous users log in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.core.errors import DomainError, NotFound
from wenming.core.scope import has_role

from .. import selectors, services
from ..forms import ModerateForm, ReplyForm, ToCaseForm
from ..models import BoardMessage, MessageStatus

View = Callable[..., HttpResponse]
PAGE_SIZE = 25


def moderator_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not has_role(request.user, *services.MODERATOR_ROLES):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@moderator_required
def board_queue(request: HttpRequest) -> HttpResponse:
    """Waiting messages (held first) or any status, searchable, paged."""
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "")
    messages_qs = selectors.board_queue(status=status, query=query, newest=sort == "new")
    page = Paginator(messages_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/staff/board_queue.html",
        {
            "page": page,
            "status": status,
            "q": query,
            "sort": sort,
            "statuses": MessageStatus.choices,
        },
    )


@moderator_required
def board_queue_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(
        BoardMessage.objects.select_related("case", "moderated_by", "replied_by"), pk=pk
    )
    return render(
        request,
        "portal/staff/board_message.html",
        {
            "message": message,
            "waiting": message.status in (MessageStatus.PENDING, MessageStatus.HELD),
            "reply_form": ReplyForm(initial={"reply": message.reply}),
            "case_form": ToCaseForm(),
        },
    )


def _run(request: HttpRequest, pk: int, action: Callable[[], object], done: str) -> HttpResponse:
    try:
        action()
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return redirect("portal:board_queue_message", pk=pk)


@require_POST
@moderator_required
def board_queue_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    form = ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or not to publish."))
        return redirect("portal:board_queue_message", pk=pk)
    approve = form.cleaned_data["decision"] == "approve"
    return _run(
        request,
        pk,
        lambda: services.board_message_moderate(
            message_id=pk, actor=_actor(request), approve=approve, note=form.cleaned_data["note"]
        ),
        _("Message approved.") if approve else _("Message not published."),
    )


@require_POST
@moderator_required
def board_queue_reply(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the reply."))
        return redirect("portal:board_queue_message", pk=pk)
    return _run(
        request,
        pk,
        lambda: services.board_message_reply(
            message_id=pk, actor=_actor(request), reply=form.cleaned_data["reply"]
        ),
        _("Reply published."),
    )


@require_POST
@moderator_required
def board_queue_to_case(request: HttpRequest, pk: int) -> HttpResponse:
    form = ToCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid category."))
        return redirect("portal:board_queue_message", pk=pk)
    return _run(
        request,
        pk,
        lambda: services.board_message_to_case(
            message_id=pk, actor=_actor(request), category=form.cleaned_data["category"]
        ),
        _("A case was filed from this message."),
    )
