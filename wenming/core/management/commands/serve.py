import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from wenming.core.production import production_problems

# Threads per worker. With gthread, a worker keeps its connections open (nginx's upstream
# keep-alive, deploy/nginx.conf) and serves another request while one waits on PostgreSQL;
# gunicorn's sync worker closes the connection after every response. Citizen submissions
# per second +35-40 %, CPU per submission a quarter less (bench/RESULTS.md, session 10).
THREADS = 4
# Longer than nginx's upstream keepalive_timeout (60 s): the server must not close a
# connection nginx is about to reuse, or nginx answers that request with a 502.
KEEP_ALIVE_SECONDS = 75


class Command(BaseCommand):
    help = "Serve Wenming with gunicorn (static files through whitenoise)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--bind", default=os.environ.get("WENMING_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("WENMING_THREADS", str(THREADS))),
            help="Threads per worker (gunicorn gthread when more than 1): a worker waiting on "
            "the database serves another request meanwhile, and connections are kept alive.",
        )
        parser.add_argument(
            "--access-log",
            action="store_true",
            default=os.environ.get("WENMING_ACCESS_LOG", "") == "1",
            help="Log every request to standard output too. Off by default: nginx logs every "
            "request (deploy/nginx.conf, with its request id), and the same line written "
            "again here took 2 %% of a worker's time under load (bench/intake.py, py-spy).",
        )
        parser.add_argument(
            "--production",
            action="store_true",
            help="Refuse to start unless the configuration is fit for production.",
        )
        parser.add_argument("--check-only", action="store_true", help="Check, then exit.")

    def handle(self, *args: object, **options: object) -> None:
        if options["production"]:
            problems = production_problems()
            if problems:
                raise CommandError(
                    "Not starting in production mode:\n" + "\n".join(f"  - {p}" for p in problems)
                )
        if options["check_only"]:
            self.stdout.write(self.style.SUCCESS("Configuration checked."))
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("createcachetable")  # WENMING_CACHE=database: its table (else nothing)
        argv = [
            "gunicorn",
            "wenming.wsgi:application",
            "--bind",
            str(options["bind"]),
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--keep-alive",
            str(KEEP_ALIVE_SECONDS),
            "--forwarded-allow-ips",
            os.environ.get("WENMING_PROXY_IPS", "127.0.0.1"),
            *(["--access-logfile", "-"] if options["access_log"] else []),
        ]
        self.stdout.write(
            f"Serving on http://{options['bind']}/ (static in {settings.STATIC_ROOT})"
        )
        os.execvp(sys.executable, [sys.executable, "-m", *argv])
