"""Persons apprehended or applying for protection: data and invariants only.

Fingerprints and identification come later (their own models); this holds the biographic
record, the vulnerability flags that reception must respect, and the household that keeps a
family together.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from borderwatch.accounts.models import MEMBER_STATE_CHOICES
from borderwatch.registration.codes import is_nationality_code


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "X", "Not recorded"


class EurodacCategory(models.IntegerChoices):
    APPLICANT = 1, "1 · Applicant for international protection"
    IRREGULAR_CROSSING = 2, "2 · Apprehended crossing an external border irregularly"
    IRREGULAR_STAY = 3, "3 · Found staying irregularly"


VULNERABILITY_FLAGS = (
    "minor",
    "unaccompanied_minor",
    "pregnancy",
    "disability",
    "elderly",
    "trafficking_victim",
)


class Person(models.Model):
    """Someone apprehended or applying for protection in one member state."""

    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    name_as_written = models.CharField(
        max_length=200, blank=True, help_text="As written by the person, in any script."
    )
    name_transliterated = models.CharField(max_length=200, help_text="In Latin letters.")
    date_of_birth = models.DateField(null=True, blank=True)
    dob_is_estimated = models.BooleanField(default=False)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    nationality = models.CharField(
        max_length=2, help_text="Claimed nationality, ISO 3166-1 alpha-2; XX if not declared."
    )
    eurodac_category = models.PositiveSmallIntegerField(choices=EurodacCategory.choices)

    minor = models.BooleanField(default=False)
    unaccompanied_minor = models.BooleanField(default=False)
    pregnancy = models.BooleanField(default=False)
    disability = models.BooleanField(default=False)
    elderly = models.BooleanField(default=False)
    trafficking_victim = models.BooleanField(default=False)

    household = models.CharField(
        max_length=40,
        blank=True,
        help_text="Members of one family share this reference and are placed together.",
    )
    apprehension_event = models.ForeignKey(
        "border.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    synthetic = models.BooleanField(default=False, help_text="Generated demo data.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member_state", "household"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unaccompanied_minor=False) | models.Q(minor=True),
                name="unaccompanied_minor_is_minor",
            ),
            models.CheckConstraint(
                condition=models.Q(eurodac_category__in=[1, 2, 3]),
                name="eurodac_category_1_2_3",
            ),
        ]

    def __str__(self) -> str:
        return f"Person #{self.pk} ({self.member_state})"

    @property
    def vulnerabilities(self) -> list[str]:
        return [flag for flag in VULNERABILITY_FLAGS if getattr(self, flag)]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        self.nationality = (self.nationality or "").upper()
        if not is_nationality_code(self.nationality):
            errors["nationality"] = (
                f"{self.nationality!r} is not an ISO 3166-1 alpha-2 code (XX if not declared)."
            )
        if self.unaccompanied_minor and not self.minor:
            errors["unaccompanied_minor"] = "An unaccompanied minor must also be marked a minor."
        if self.unaccompanied_minor and self.household:
            errors["household"] = "An unaccompanied minor has no household to join."
        if self.minor and self.elderly:
            errors["elderly"] = "A person cannot be both a minor and elderly."
        if self.pregnancy and self.sex == Sex.MALE:
            errors["pregnancy"] = "Pregnancy is recorded for a person marked male."
        if errors:
            raise ValidationError(errors)
