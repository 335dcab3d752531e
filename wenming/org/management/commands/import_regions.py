from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenming.org.services import RegionImportError, regions_import_file


class Command(BaseCommand):
    help = "Import regions from a GeoJSON FeatureCollection (all or nothing)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        path = options["file"]
        assert isinstance(path, Path)
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            count = regions_import_file(path=path)
        except RegionImportError as exc:
            raise CommandError(
                f"Nothing was imported; {len(exc.problems)} problem(s):\n" + str(exc.message)
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {count} regions from {path}."))
