"""The `wenming` command: Wenming's own commands plus every Django management command.

wenming demo | serve | worker | seed-demo | import-regions FILE | <any manage.py command>
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")  # `seed-demo` → the seed_demo command
    args[0] = "wenming"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
