"""Impact assessments get a workflow status; those already confirmed are marked so."""

from typing import Any

from django.conf import settings
from django.db import migrations, models


def mark_confirmed(apps: Any, schema_editor: Any) -> None:
    assessment = apps.get_model("border", "ImpactAssessment")
    assessment.objects.filter(confirmed_at__isnull=False).update(status="confirmed")


class Migration(migrations.Migration):
    dependencies = [
        ("border", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="impactassessment",
            name="status",
            field=models.CharField(
                choices=[
                    ("proposed", "Proposed"),
                    ("confirmed", "Confirmed"),
                    ("rejected", "Rejected"),
                ],
                default="proposed",
                max_length=16,
            ),
        ),
        migrations.RunPython(mark_confirmed, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="impactassessment",
            index=models.Index(
                fields=["section", "status", "as_of"], name="border_impa_section_8636e0_idx"
            ),
        ),
    ]
