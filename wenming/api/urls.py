from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

app_name = "api"
urlpatterns = [
    path("v1/", include("wenming.api.v1.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI adds a <style> element when it starts: allow inline styles (not scripts) here.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
]
