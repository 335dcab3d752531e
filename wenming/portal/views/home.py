from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wenming.core.nav import portal_links


def portal_home(request: HttpRequest) -> HttpResponse:
    """The citizens' front page: every public feature that exists."""
    return render(request, "portal/home.html", {"links": portal_links()})
