from django.core.management.base import BaseCommand

from wenming.livelihood.seed import seed_demo


class Command(BaseCommand):
    help = "Add this year's demo livelihood projects, their reports and campaign activities (once)."

    def handle(self, *args: object, **options: object) -> None:
        made = seed_demo()
        if made:
            self.stdout.write(
                self.style.SUCCESS(f"Demo livelihood: {made} projects and activities made.")
            )
        else:
            self.stdout.write("Demo livelihood projects already present.")
