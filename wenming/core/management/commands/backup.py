from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from wenming.core.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database and media into one .tar.gz archive with a manifest."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--output", type=Path, default=Path(settings.DATA_DIR) / "backups")

    def handle(self, *args: object, **options: object) -> None:
        archive = backup_create(output_dir=options["output"])  # type: ignore[arg-type]
        self.stdout.write(self.style.SUCCESS(f"Backup written to {archive}"))
