"""The hours ledger is append-only in the database too, and the default star levels.

PostgreSQL: a row trigger refuses UPDATE and DELETE on volunteers_ledgerentry (TRUNCATE, used
by Django's test flush, is not a row operation). SQLite: a trigger refuses UPDATE; DELETE is
left to the model and queryset guards because Django's test flush deletes rows one table at a
time on SQLite.
"""

from django.db import migrations

PG_FORWARD = [
    """CREATE OR REPLACE FUNCTION volunteers_ledger_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the hours ledger is append-only: % refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER volunteers_ledgerentry_append_only
        BEFORE UPDATE OR DELETE ON volunteers_ledgerentry
        FOR EACH ROW EXECUTE FUNCTION volunteers_ledger_append_only()""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS volunteers_ledgerentry_append_only ON volunteers_ledgerentry",
    "DROP FUNCTION IF EXISTS volunteers_ledger_append_only()",
]
SQLITE_FORWARD = [
    """CREATE TRIGGER volunteers_ledgerentry_no_update BEFORE UPDATE ON volunteers_ledgerentry
    BEGIN SELECT RAISE(ABORT, 'the hours ledger is append-only: UPDATE refused'); END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS volunteers_ledgerentry_no_update"]

DEFAULT_STARS = ((1, 100), (2, 300), (3, 600), (4, 1000), (5, 1500))


def _run(schema_editor, postgres: list[str], sqlite: list[str]) -> None:
    statements = {"postgresql": postgres, "sqlite": sqlite}.get(schema_editor.connection.vendor)
    for statement in statements or []:
        schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)
    StarLevel = apps.get_model("volunteers", "StarLevel")
    for stars, hours in DEFAULT_STARS:
        StarLevel.objects.get_or_create(stars=stars, defaults={"min_hours": hours})


def backward(apps, schema_editor):
    _run(schema_editor, PG_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0002_counter_servicepolicy_starlevel_center_description_and_more")]

    operations = [migrations.RunPython(forward, backward)]
