from django.core.management.base import BaseCommand

from wenming.portal.seed import seed_demo


class Command(BaseCommand):
    help = "Add the demo message board: answered messages and a moderation queue (once)."

    def handle(self, *args: object, **options: object) -> None:
        made = seed_demo()
        if made:
            self.stdout.write(self.style.SUCCESS(f"Demo message board: {made} messages made."))
        else:
            self.stdout.write("Demo message board already present (or no demo city).")
