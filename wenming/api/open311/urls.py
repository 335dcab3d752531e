"""/open311/v2/… : each resource with `.xml`/`.json`, or bare with `?format=` (XML default)."""

from django.urls import re_path

from . import views

FMT = r"(?:\.(?P<fmt>[a-zA-Z0-9]+))?$"
CODE = r"(?P<code>[\w-]+?)"

app_name = "open311"
urlpatterns = [
    re_path(r"^v2/$", views.DiscoveryView.as_view(), name="root"),
    re_path(r"^v2/discovery" + FMT, views.DiscoveryView.as_view(), name="discovery"),
    re_path(r"^discovery" + FMT, views.DiscoveryView.as_view(), name="discovery_root"),
    re_path(r"^v2/services" + FMT, views.ServiceListView.as_view(), name="services"),
    re_path(r"^v2/services/" + CODE + FMT, views.ServiceDefinitionView.as_view(), name="service"),
    re_path(r"^v2/requests" + FMT, views.RequestListView.as_view(), name="requests"),
    re_path(
        r"^v2/requests/(?P<code>[\w-]+?)" + FMT, views.RequestDetailView.as_view(), name="request"
    ),
    re_path(r"^v2/tokens/(?P<token>[\w-]+?)" + FMT, views.TokenView.as_view(), name="token"),
]
