from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenming.cases.catalogue import CatalogueImportError, categories_import, format_for
from wenming.core.errors import InvalidInput


class Command(BaseCommand):
    help = "Import the category catalogue from a .yaml/.yml or .xlsx file (all or nothing)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        path = options["file"]
        assert isinstance(path, Path)
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            count = categories_import(data=path.read_bytes(), format=format_for(path.name))
        except CatalogueImportError as exc:
            raise CommandError(
                f"Nothing was imported; {len(exc.problems)} problem(s):\n" + str(exc.message)
            ) from exc
        except InvalidInput as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {count} categories from {path}."))
