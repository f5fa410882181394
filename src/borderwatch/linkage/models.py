"""The review queue of possible duplicates: data and invariants only.

A `CandidatePair` is two registration persons (by id: the linkage app reads persons only through
registration's selectors) that the engine found alike, with the evidence it saw: the biographic
score and its reasons, what the fingerprints said, and `assess()`'s outcome. A person reviews it
(`workflow.PAIR`); each move is a `Decision` with its reason. A `DuplicateRun` is one search of a
state's persons for pairs, done by a background task.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderwatch.core.codes import MEMBER_STATE_CHOICES


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SAME_PERSON = "same_person", _("Same person")
    DIFFERENT_PERSONS = "different_persons", _("Different persons")
    REFERRED = "referred", _("Referred to the fingerprint expert")


class Outcome(models.TextChoices):
    """`engines.linkage.Outcome` less `none` (a pair with nothing to review is not stored)."""

    CANDIDATE = "candidate", _("Biographic candidate")
    CORROBORATED = "corroborated", _("Fingerprints and biography agree")
    CONFLICT = "conflict", _("Fingerprints and biography disagree")


class FingerprintEvidence(models.TextChoices):
    """`engines.linkage.Fingerprints`: what the fingerprint comparison of the two said."""

    NOT_COMPARED = "not_compared", _("Not compared")
    NO_MATCH = "no_match", _("Compared, no match")
    HIT = "hit", _("Hit, not yet verified")
    CONFIRMED = "confirmed", _("Hit confirmed by an expert")
    REJECTED = "rejected", _("Hit rejected by an expert")


class CandidatePair(models.Model):
    """Two persons who may be one. `person_id` is always of `member_state` (the queue's state);
    `other_id` is of `other_state`: the same state (a biographic candidate, person_id < other_id)
    or another state (found by one of our fingerprint searches; shown as its Eurodac fields)."""

    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    person_id = models.PositiveIntegerField(db_index=True)
    other_id = models.PositiveIntegerField(db_index=True)
    other_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES)
    score = models.FloatField(help_text="Biographic score (engines.linkage.rank), 0..1.")
    reasons = models.JSONField(default=list, help_text="Stable codes: name, dob_year, ...")
    fingerprints = models.CharField(max_length=12, choices=FingerprintEvidence.choices)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    confidence = models.FloatField(help_text="assess(): probability that they are one person.")
    outcome_reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=20, choices=PairStatus.choices, default=PairStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    run = models.ForeignKey(
        "DuplicateRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-confidence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_id", "other_id"], name="pair_once"),
            models.CheckConstraint(
                condition=~models.Q(person_id=models.F("other_id")), name="pair_of_two"
            ),
        ]
        indexes = [models.Index(fields=["member_state", "status", "id"], name="pair_queue")]

    def __str__(self) -> str:
        return f"Pair #{self.pk} ({self.member_state}, {self.status})"

    @property
    def cross_state(self) -> bool:
        return self.other_state != self.member_state


class Decision(models.Model):
    """One move of a pair's review (who, when, from, to, why); the system refers conflicts."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="decisions")
    source = models.CharField(max_length=20, choices=PairStatus.choices)
    target = models.CharField(max_length=20, choices=PairStatus.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"Decision #{self.pk} on pair #{self.pair_id}: {self.target}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class DuplicateRun(models.Model):
    """A search of one state's persons for possible duplicates, computed by a task."""

    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=80, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="django-tasks result id.")
    persons = models.PositiveIntegerField(default=0)
    compared = models.PositiveIntegerField(default=0, help_text="Pairs scored.")
    proposed = models.PositiveIntegerField(default=0, help_text="New pairs stored.")

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Duplicate run #{self.pk} {self.member_state} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


# The engine's reason codes (engines.linkage rank and assess) as the pages say them.
REASON_LABELS = {
    "name": _("same name"),
    "name_similar": _("similar name"),
    "dob": _("same date of birth"),
    "dob_swapped": _("day and month swapped"),
    "dob_year": _("same year of birth"),
    "dob_near": _("born within two years"),
    "document": _("same document"),
    "biographic_candidate": _("biographic candidate"),
    "fingerprint_hit": _("fingerprint hit"),
    "fingerprints_and_biography_agree": _("fingerprints and biography agree"),
    "fingerprint_hit_biographic_disagree": _("fingerprint hit, biography disagrees"),
    "biographic_match_fingerprints_differ": _("strong biographic match, fingerprints differ"),
    "sex_differs": _("sex differs"),
    "age_gap": _("ages differ by more than 5 years"),
}


def reason_labels(codes: list[str] | tuple[str, ...]) -> list[str]:
    return [str(REASON_LABELS.get(c, c)) for c in codes]
