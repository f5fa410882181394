"""Case counts kept beside the cases, so that backlog and outcome figures read a few thousand
rows instead of every case (issue 13's aim: one state's figures under 200 ms at 1,000,000 cases).

One row counts the cases that share a measure's key. Each case adds one to each measure it has
a day for: `made` (its current status, on the day it was made), `due` (its pending step's
deadline), `decided` (its first-instance outcome and nationality, on the decision day),
`appealed` (its nationality, on the appeal day) and `final` (the final decision day). Decisions
and appeals are also counted per month (`decided_month`, `appealed_month`, on the month's first
day): outcomes as of a day read the months before it and the days of its own month, a few
thousand rows per state instead of one per nationality, outcome and day since 2019. Services
change the counts in the same transaction as the case; `borderwatch procedure_figures rebuild`
recounts them from the cases.
"""

from __future__ import annotations

from django.db import models

from borderwatch.core.codes import MEMBER_STATE_CHOICES


class Measure(models.TextChoices):
    """What a count counts (internal: the figures pages show their own words, not these)."""

    MADE = "made", "Made, by current stage"
    DUE = "due", "Next deadline"
    DECIDED = "decided", "First-instance decision"
    DECIDED_MONTH = "decided_month", "First-instance decisions of a month"
    APPEALED = "appealed", "Appeal"
    APPEALED_MONTH = "appealed_month", "Appeals of a month"
    FINAL = "final", "Final decision"


class CaseCount(models.Model):
    """How many of a state's cases share one measure's day and labels (blank where unused)."""

    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES)
    measure = models.CharField(max_length=16, choices=Measure.choices)
    day = models.DateField()
    status = models.CharField(max_length=24, blank=True)
    nationality = models.CharField(max_length=2, blank=True)
    decision = models.CharField(max_length=24, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["measure", "day"])]  # all states' figures
        constraints = [
            models.UniqueConstraint(
                fields=["member_state", "measure", "day", "status", "nationality", "decision"],
                name="one_case_count_per_key",
            ),
            models.CheckConstraint(condition=models.Q(n__gte=0), name="case_count_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member_state} {self.measure} {self.day}: {self.n}"
