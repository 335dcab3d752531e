from django.core.management.base import BaseCommand

from wenming.dashboard.demo_history import CASES, seed_history


class Command(BaseCommand):
    help = "Add ~2,000 simulated cases over the last 90 days to the demo city (once)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--count", type=int, default=CASES)

    def handle(self, *args: object, **options: object) -> None:
        created = seed_history(count=int(options["count"]))  # type: ignore[call-overload]
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo history: {created} cases created."))
        else:
            self.stdout.write("Demo history already present (or the demo city is not seeded).")
