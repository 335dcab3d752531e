"""The board author's phone, encrypted at rest like the case reporter's (wenming.core.personal)."""

from django.db import migrations, models


def encrypt_phones(apps, schema_editor):
    from wenming.core.personal import phone_columns

    BoardMessage = apps.get_model("portal", "BoardMessage")
    for message in BoardMessage.objects.exclude(author_phone="").iterator(chunk_size=1000):
        for name, value in phone_columns("author_phone", message.author_phone).items():
            setattr(message, name, value)
        message.save(update_fields=[n for n in phone_columns("author_phone", "")])


def decrypt_phones(apps, schema_editor):
    from wenming.core import crypto

    BoardMessage = apps.get_model("portal", "BoardMessage")
    for message in BoardMessage.objects.exclude(author_phone_encrypted="").iterator():
        message.author_phone = crypto.decrypt(message.author_phone_encrypted)
        message.save(update_fields=["author_phone"])


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="boardmessage",
            name="author_phone_encrypted",
            field=models.TextField(blank=True, verbose_name="phone (encrypted)"),
        ),
        migrations.AddField(
            model_name="boardmessage",
            name="author_phone_hash",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name="boardmessage",
            name="author_phone_tail",
            field=models.CharField(blank=True, max_length=4),
        ),
        migrations.AddField(
            model_name="boardmessage",
            name="author_phone_masked",
            field=models.CharField(blank=True, max_length=20, verbose_name="phone"),
        ),
        migrations.RunPython(encrypt_phones, decrypt_phones),
        migrations.RemoveField(model_name="boardmessage", name="author_phone"),
    ]
