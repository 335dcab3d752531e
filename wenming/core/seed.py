"""Runs every app's demo seeder in order (settings.WENMING_DEMO_SEEDERS). Each is idempotent."""

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string


@transaction.atomic
def seed_demo_city() -> None:
    for dotted in settings.WENMING_DEMO_SEEDERS:
        import_string(dotted)()


def demo_city_seeded() -> bool:
    from wenming.org.models import Region

    return Region.objects.exists()
