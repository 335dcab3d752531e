from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def city_name() -> str:
    """The city's name in the active language: 包头市 on Chinese pages, Baotou on English ones."""
    if settings.WENMING_CITY_NAME_EN and (get_language() or "").startswith("en"):
        return str(settings.WENMING_CITY_NAME_EN)
    return str(settings.WENMING_CITY_NAME)


def site(request: HttpRequest) -> dict[str, object]:
    return {"CITY_NAME": city_name(), "MAP_TILES": settings.WENMING_MAP_TILES}
