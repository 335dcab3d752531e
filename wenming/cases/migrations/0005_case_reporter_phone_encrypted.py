"""The reporter's phone, encrypted at rest: four new columns filled from the plain column,
which is then dropped (wenming.core.personal). Needs the same WENMING_FIELD_KEY as later runs."""

from django.db import migrations, models

BATCH = 2000


def encrypt_phones(apps, schema_editor):
    from wenming.core.personal import phone_columns

    Case = apps.get_model("cases", "Case")
    fields = [
        "reporter_phone_encrypted",
        "reporter_phone_hash",
        "reporter_phone_tail",
        "reporter_phone_masked",
    ]
    rows = Case.objects.exclude(reporter_phone="").only("pk", "reporter_phone").order_by("pk")
    batch = []
    for case in rows.iterator(chunk_size=BATCH):
        for name, value in phone_columns("reporter_phone", case.reporter_phone).items():
            setattr(case, name, value)
        batch.append(case)
        if len(batch) == BATCH:
            Case.objects.bulk_update(batch, fields)
            batch = []
    Case.objects.bulk_update(batch, fields)


def decrypt_phones(apps, schema_editor):
    from wenming.core import crypto

    Case = apps.get_model("cases", "Case")
    for case in Case.objects.exclude(reporter_phone_encrypted="").iterator(chunk_size=BATCH):
        case.reporter_phone = crypto.decrypt(case.reporter_phone_encrypted)
        case.save(update_fields=["reporter_phone"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_case_place_index")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="reporter_phone_encrypted",
            field=models.TextField(blank=True, verbose_name="reporter phone (encrypted)"),
        ),
        migrations.AddField(
            model_name="case",
            name="reporter_phone_hash",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name="case",
            name="reporter_phone_tail",
            field=models.CharField(blank=True, db_index=True, max_length=4),
        ),
        migrations.AddField(
            model_name="case",
            name="reporter_phone_masked",
            field=models.CharField(blank=True, max_length=20, verbose_name="reporter phone"),
        ),
        migrations.RunPython(encrypt_phones, decrypt_phones, elidable=False),
        migrations.RemoveField(model_name="case", name="reporter_phone"),
    ]
