"""`wenming audit verify`: check the audit log's hash chain; exit non-zero on the first broken row."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wenming.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. `verify` checks that no row was edited, deleted or re-ordered."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = audit_verify()
        if not verdict.ok:
            raise CommandError(f"BROKEN after {verdict.count} good rows: {verdict.problem}")
        self.stdout.write(f"OK: {verdict.count} rows, chain intact")
