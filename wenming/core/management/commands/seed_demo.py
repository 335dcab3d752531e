from django.core.management.base import BaseCommand

from wenming.core.seed import seed_demo_city
from wenming.org.seed import DEMO_PASSWORD, demo_accounts


class Command(BaseCommand):
    help = "Seed (or top up) the demo city. Safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        seed_demo_city()
        self.stdout.write(self.style.SUCCESS("Demo city seeded."))
        print_accounts(self.stdout)


def print_accounts(out: object) -> None:
    lines = [f"  {username:<12} {display}（{role}）" for username, display, role in demo_accounts()]
    text = "\n".join([f"Demo accounts (password: {DEMO_PASSWORD}):", *lines])
    out.write(text)  # type: ignore[attr-defined]
