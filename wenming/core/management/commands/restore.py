from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenming.core.backup import backup_restore


class Command(BaseCommand):
    help = "Restore the database and media from a backup archive, then verify them."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: object, **options: object) -> None:
        archive = options["archive"]
        assert isinstance(archive, Path)
        if not archive.exists():
            raise CommandError(f"No such archive: {archive}")
        if (
            not options["yes"]
            and input("This replaces the database and media. Type yes: ") != "yes"
        ):
            raise CommandError("Restore cancelled.")
        result = backup_restore(archive=archive)
        if not result["ok"]:
            raise CommandError(f"Restored, but it does not match the manifest: {result}")
        self.stdout.write(self.style.SUCCESS(f"Restored and verified from {archive}"))
