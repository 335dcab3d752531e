from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenming.cases.catalogue import categories_export, format_for
from wenming.core.errors import InvalidInput


class Command(BaseCommand):
    help = "Export the category catalogue to a .yaml/.yml or .xlsx file."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        path = options["file"]
        assert isinstance(path, Path)
        try:
            data = categories_export(format=format_for(path.name))
        except InvalidInput as exc:
            raise CommandError(str(exc.message)) from exc
        path.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Exported the catalogue to {path}."))
