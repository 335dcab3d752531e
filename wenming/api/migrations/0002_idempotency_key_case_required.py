"""An idempotency key is now written with its case, in one statement (services.case_submit_once):
the case is never null. A key left without its case could only come from a transaction that
never committed; any such row is removed first."""

import django.db.models.deletion
from django.db import migrations, models


def drop_keys_without_case(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("api", "IdempotencyKey").objects.filter(case__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("cases", "0017_case_text_terms_by_fortnight"),
    ]

    operations = [
        migrations.RunPython(drop_keys_without_case, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="idempotencykey",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.case",
                verbose_name="case",
            ),
        ),
    ]
