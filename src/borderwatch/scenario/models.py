"""Which scenario is loaded, with which seed: `scenario load` is idempotent by it."""

from __future__ import annotations

from django.db import models


class ScenarioRun(models.Model):
    name = models.CharField(max_length=64)
    seed = models.BigIntegerField()
    loaded_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name"], name="one_run_per_scenario")]

    def __str__(self) -> str:
        return f"{self.name} (seed {self.seed})"
