"""`wenming generate --cases N`: synthetic cases for load tests and benchmarks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wenming.core.seed import demo_city_seeded


class Command(BaseCommand):
    help = (
        "Add N realistic synthetic cases with their events (two years, every region, category "
        "and state) to the demo city, then bring the rollups up to date."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases to add.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument("--no-rollups", action="store_true", help="Skip the rollup rebuild.")

    def handle(self, *args: object, **options: Any) -> None:
        from wenming.core.generate import fill

        if options["cases"] < 1:
            raise CommandError("--cases must be at least 1.")
        if not demo_city_seeded():
            raise CommandError("Seed the demo city first (wenming seed-demo).")
        fill(options["cases"], seed=options["seed"], quiet=options["verbosity"] < 1)
        if not options["no_rollups"]:
            from wenming.accountability.rollup import rollups_rebuild

            result = rollups_rebuild()
            self.stdout.write(f"Rollups rebuilt: {result.cases} cases, {result.days} days.")
        self.stdout.write(self.style.SUCCESS(f"Added {options['cases']:,} cases."))
