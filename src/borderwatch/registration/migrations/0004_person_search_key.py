"""The person's name search key, and its backfill for persons registered before it."""

from typing import Any

from django.db import migrations, models

from borderwatch.registration import names  # framework-free: safe to call from a migration


def backfill(apps: Any, schema_editor: Any) -> None:
    person_model = apps.get_model("registration", "Person")
    batch = []
    for person in person_model.objects.only("pk", "name_transliterated", "name_as_written"):
        person.search_key = names.search_key(person.name_transliterated, person.name_as_written)
        batch.append(person)
        if len(batch) >= 1000:
            person_model.objects.bulk_update(batch, ["search_key"])
            batch = []
    person_model.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0003_capture_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_key",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text=(
                    "Normalised names for search (registration.names.search_key); set by services."
                ),
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
