from django.core.management.base import BaseCommand

from wenming.inspections.seed import seed_demo_history


class Command(BaseCommand):
    help = "Add last month's finished inspection round and its findings (cases) to the demo (once)."

    def handle(self, *args: object, **options: object) -> None:
        made = seed_demo_history()
        if made:
            self.stdout.write(
                self.style.SUCCESS(f"Demo inspections: {made} site inspections made.")
            )
        else:
            self.stdout.write("Demo inspections already present.")
