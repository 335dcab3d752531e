from django.core.management.base import BaseCommand

from wenming.accountability.rollup import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute every metric fact and daily rollup from the case event log."

    def handle(self, *args: object, **options: object) -> None:
        result = rollups_rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Rebuilt rollups: {result.cases} cases, {result.days} days.")
        )
