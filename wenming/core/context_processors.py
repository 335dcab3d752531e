from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"CITY_NAME": settings.WENMING_CITY_NAME, "MAP_TILES": settings.WENMING_MAP_TILES}
