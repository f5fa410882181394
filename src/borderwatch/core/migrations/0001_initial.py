"""The audit trail moves from accounts to core (same table, no data copied); timeline rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("actor_username", models.CharField(max_length=150)),
                        ("action", models.CharField(db_index=True, max_length=64)),
                        ("object_type", models.CharField(max_length=64)),
                        ("object_id", models.CharField(blank=True, max_length=64)),
                        ("member_state", models.CharField(blank=True, db_index=True, max_length=2)),
                        ("old_values", models.JSONField(blank=True, null=True)),
                        ("new_values", models.JSONField(blank=True, null=True)),
                        ("reason", models.TextField(blank=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_auditentry",
                        "ordering": ["-at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["object_type", "object_id"],
                                name="accounts_au_object__2df7a0_idx",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="TransitionRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("workflow", models.CharField(max_length=64)),
                ("object_type", models.CharField(max_length=64)),
                ("object_id", models.CharField(max_length=64)),
                ("member_state", models.CharField(blank=True, max_length=2)),
                ("source", models.CharField(max_length=32)),
                ("target", models.CharField(max_length=32)),
                ("actor_username", models.CharField(max_length=150)),
                ("reason", models.TextField(blank=True)),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["at", "id"],
                "indexes": [
                    models.Index(
                        fields=["object_type", "object_id"], name="core_transition_obj_idx"
                    )
                ],
            },
        ),
    ]
