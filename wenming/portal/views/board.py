"""留言板: the public board of approved messages with their replies, writing a message, and
reading one's own (private or not yet approved) message with its code and phone digits."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wenming.core.errors import InvalidInput
from wenming.core.masking import mask_name, redact_text

from .. import access, selectors, services
from ..forms import BoardMessageForm, MessageLookupForm, new_token
from ..models import BoardMessage

KIND = "messages"
PAGE_SIZE = 10


def board(request: HttpRequest) -> HttpResponse:
    """Approved public messages with their official replies, newest first, paged."""
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    messages_qs = selectors.board_public_messages()
    if query:
        messages_qs = messages_qs.filter(title__icontains=query)
    if kind:
        messages_qs = messages_qs.filter(kind=kind)
    page = Paginator(messages_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/board.html",
        {"page": page, "items": [_public(m) for m in page], "q": query, "kind": kind},
    )


def _public(message: BoardMessage) -> dict[str, object]:
    return {
        "message": message,
        "author": mask_name(message.author_name) or _("Anonymous"),
        "title": redact_text(message.title),
        "body": redact_text(message.body),
        "reply": redact_text(message.reply),
    }


@require_http_methods(["GET", "POST"])
def board_new(request: HttpRequest) -> HttpResponse:
    form = BoardMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            message, _created = services.board_message_submit(
                token=data["token"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                is_public=data["visibility"] == "public",
                author_name=data["author_name"],
                author_phone=data["author_phone"],
            )
        except InvalidInput as error:
            form.add_error(None, str(error.message))
        else:
            access.remember(request, KIND, message.code)
            return redirect("portal:board_message", code=message.code)
    if request.method == "GET":
        form = BoardMessageForm(initial={"token": new_token(), "visibility": "public"})
    return render(request, "portal/board_new.html", {"form": form})


def board_message(request: HttpRequest, code: str) -> HttpResponse:
    """One message: anyone sees an approved public one; its author (proven by code and phone
    digits, or by having written it in this browser) also sees a private or waiting one."""
    message = selectors.board_message_by_code(code)
    if message is None:
        raise Http404
    is_author = access.is_proven(request, KIND, message.code)
    if not (message.is_listed or is_author):
        raise Http404
    return render(
        request,
        "portal/board_message.html",
        {"item": _public(message), "message": message, "is_author": is_author},
    )


@require_http_methods(["GET", "POST"])
def board_lookup(request: HttpRequest) -> HttpResponse:
    """My message: code + last four digits of the phone."""
    form = MessageLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        message = selectors.board_message_by_code(form.cleaned_data["code"])
        if message is not None and access.is_locked(KIND, message.code):
            form.add_error("digits", _("Too many wrong tries. Try again in 15 minutes."))
        elif message is None or not selectors.phone_digits_match(
            message.author_phone_tail, form.cleaned_data["digits"]
        ):
            if message is not None:
                access.record_failure(KIND, message.code)
            form.add_error(None, _("No message matches this code and these digits."))
        else:
            access.remember(request, KIND, message.code)
            return redirect("portal:board_message", code=message.code)
    return render(request, "portal/board_lookup.html", {"form": form})
