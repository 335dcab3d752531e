import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from wenming.core.seed import demo_city_seeded, seed_demo_city

from .seed_demo import print_accounts


class Command(BaseCommand):
    help = (
        "Migrate, seed the demo city if the database is empty, and serve it with a "
        "background worker."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: object, **options: object) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not demo_city_seeded():
            self.stdout.write("Seeding the demo city …")
            seed_demo_city()
        # 90 days of case history for the dashboard and metrics (does nothing once present).
        call_command("seed_demo_history")
        call_command("seed_demo_inspections")  # last month's inspection round and its cases
        call_command("seed_demo_livelihood")  # this year's livelihood projects and activities
        call_command("seed_demo_board")  # answered messages and a moderation queue
        from wenming.triage.models import SuggestionModel

        if not SuggestionModel.objects.exists():  # learn categories from that closed history
            call_command("triage", "train")
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"Wenming demo: http://{address}/"))
        print_accounts(self.stdout)
        self.stdout.write("")
        # The background worker: photos re-encoded, triage, deadline warnings, notifications.
        worker = subprocess.Popen([sys.executable, "-m", "wenming.cli", "worker"])
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so the worker is stopped too
        try:
            call_command("runserver", address, use_reloader=False, use_threading=True)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
