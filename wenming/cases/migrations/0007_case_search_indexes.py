"""Phone search by its last four digits (bench/worklist.py, 1,000,000 cases): an index on
(tail, reported_at) replaces the index on the tail alone, so the newest matches come
straight from the index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_case_attachment_upload")]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="reporter_phone_tail",
            field=models.CharField(blank=True, max_length=4),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["reporter_phone_tail", "reported_at"], name="case_phone_tail_reported"
            ),
        ),
    ]
