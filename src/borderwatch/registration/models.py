"""Persons apprehended or applying for protection: data and invariants only.

The biographic record, the vulnerability flags that reception must respect and the household
that keeps a family together; then documents, fingerprint sets, identification requests, hits
and the links a confirmed hit makes.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from borderwatch.core.codes import MEMBER_STATE_CHOICES, Sex, is_nationality_code
from borderwatch.core.text import forbidden_characters


class EurodacCategory(models.IntegerChoices):
    APPLICANT = 1, _("1 · Applicant for international protection")
    IRREGULAR_CROSSING = 2, _("2 · Apprehended crossing an external border irregularly")
    IRREGULAR_STAY = 3, _("3 · Found staying irregularly")


VULNERABILITY_FLAGS = (
    "minor",
    "unaccompanied_minor",
    "pregnancy",
    "disability",
    "elderly",
    "trafficking_victim",
)
VULNERABILITY_LABELS = {
    "minor": _("Minor"),
    "unaccompanied_minor": _("Unaccompanied minor"),
    "pregnancy": _("Pregnancy"),
    "disability": _("Disability"),
    "elderly": _("Elderly"),
    "trafficking_victim": _("Trafficking victim"),
}


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
    photo = models.FileField(upload_to="photos/%Y/%m/", blank=True)
    search_key = models.TextField(
        blank=True,
        editable=False,
        help_text="Normalised names for search (registration.names.search_key); set by services.",
    )
    synthetic = models.BooleanField(default=False, help_text="Generated demo data.")
    # Eurodac (Reg. 2024/1358): lodging an asylum application records the person as category 1
    # and keeps the earlier category; granting protection marks the record (art 31). Set only
    # by services.eurodac (called by the procedures app).
    previous_category = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=EurodacCategory.choices, editable=False
    )
    applicant_since = models.DateField(null=True, blank=True, editable=False)
    protection_granted_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["member_state", "household"]),
            # the API's cursor walk, newest first: all states, and one state
            models.Index(fields=["created_at", "id"], name="person_keyset"),
            models.Index(fields=["member_state", "created_at", "id"], name="person_state_keyset"),
        ]
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
    def reference(self) -> str:
        """The reference number another state sees (Eurodac's: state of origin + sequence)."""
        return f"{self.member_state}{self.pk:010d}"

    @property
    def vulnerabilities(self) -> list[str]:
        return [flag for flag in VULNERABILITY_FLAGS if getattr(self, flag)]

    @property
    def vulnerability_labels(self) -> list[str]:
        """The vulnerabilities in the user's language."""
        return [str(VULNERABILITY_LABELS[flag]) for flag in self.vulnerabilities]

    # The day a person is registered for (not a column): the apprehension day when the service
    # knows it (a group registered later, a scenario), else the day of creation. Age is counted
    # on it: `minor` means under 18 then.
    registered_on: dt.date | None = None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        self._clean_texts(errors)
        self.nationality = (self.nationality or "").upper()
        if not is_nationality_code(self.nationality):
            errors["nationality"] = gettext(
                "%(code)r is not an ISO 3166-1 alpha-2 code (XX if not declared)."
            ) % {"code": self.nationality}
        if self.unaccompanied_minor and not self.minor:
            errors["unaccompanied_minor"] = gettext(
                "An unaccompanied minor must also be marked a minor."
            )
        if self.unaccompanied_minor and self.household:
            errors["household"] = gettext("An unaccompanied minor has no household to join.")
        if self.minor and self.elderly:
            errors["elderly"] = gettext("A person cannot be both a minor and elderly.")
        if self.pregnancy and self.sex == Sex.MALE:
            errors["pregnancy"] = gettext("Pregnancy is recorded for a person marked male.")
        born = self.date_of_birth  # still the raw value if its own field check failed
        if isinstance(born, dt.date):
            self._clean_birth(born, errors)
        if errors:
            raise ValidationError(errors)

    def _clean_birth(self, born: dt.date, errors: dict[str, str]) -> None:
        """A date of birth between EARLIEST_BIRTH and today; `minor` only under 18 then."""
        if self.registered_on:
            today = self.registered_on
        elif self.created_at:
            today = timezone.localdate(self.created_at)
        else:
            today = timezone.localdate()
        if born > timezone.localdate():
            errors["date_of_birth"] = gettext("Date of birth %(date)s is in the future.") % {
                "date": born.isoformat()
            }
        elif born < EARLIEST_BIRTH:
            errors["date_of_birth"] = gettext(
                "Date of birth %(date)s is before %(earliest)s; check the year."
            ) % {"date": born.isoformat(), "earliest": EARLIEST_BIRTH.isoformat()}
        elif self.minor and _age(born, today) >= ADULT_AGE:
            errors["minor"] = gettext(
                "Marked a minor, but born %(date)s: %(age)d years old at registration."
            ) % {"date": born.isoformat(), "age": _age(born, today)}

    def _clean_texts(self, errors: dict[str, str]) -> None:
        """Names and household trimmed; no blank name, no control or direction characters."""
        for name in ("name_transliterated", "name_as_written", "household"):
            value = str(getattr(self, name) or "").strip()
            setattr(self, name, value)
            found = forbidden_characters(value)
            if found:
                errors[name] = gettext(
                    "Contains control or text-direction characters (%(characters)s); remove them."
                ) % {"characters": found}
        if not self.name_transliterated and "name_transliterated" not in errors:
            errors["name_transliterated"] = gettext("A name is needed, not only spaces.")


# Nobody alive was born before 1900; an earlier date (year 1) is a typo.
EARLIEST_BIRTH = dt.date(1900, 1, 1)
ADULT_AGE = 18


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# ---- documents, fingerprints, identification -------------------------------------------------


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    ID_CARD = "id_card", _("Identity card")
    TRAVEL_DOCUMENT = "travel_document", _("Travel document")
    VISA = "visa", _("Visa")
    OTHER = "other", _("Other")


class Document(models.Model):
    """An identity or travel document a person carried or declared."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(max_length=20, choices=DocumentType.choices)
    number = models.CharField(max_length=40)
    issuing_country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "doc_type", "number"], name="document_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} of person #{self.person_id}"

    def clean(self) -> None:
        super().clean()
        self.issuing_country = (self.issuing_country or "").upper()
        if not is_nationality_code(self.issuing_country) or self.issuing_country == "XX":
            raise ValidationError(
                {
                    "issuing_country": gettext("%(code)r is not an ISO 3166-1 alpha-2 code.")
                    % {"code": self.issuing_country}
                }
            )


class SourceFormat(models.TextChoices):
    IMAGES = "images", _("Image files (PNG, BMP, TIFF, WSQ)")
    NIST = "nist", _("ANSI/NIST-ITL transaction")
    SYNTHETIC = "synthetic", _("Synthetic templates (demo data)")


class FingerprintSet(models.Model):
    """One capture session of up to ten fingers of a person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="fingerprint_sets")
    captured_at = models.DateTimeField()
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_format = models.CharField(max_length=10, choices=SourceFormat.choices)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-captured_at", "-id"]

    def __str__(self) -> str:
        return f"Fingerprint set #{self.pk} of person #{self.person_id}"

    @property
    def reference(self) -> str:
        """The set's reference another state sees with a hit."""
        return f"FP{self.pk:010d}"


class MissingReason(models.TextChoices):
    AMPUTATED = "amputated", _("Amputated")
    BANDAGED = "bandaged", _("Bandaged or injured")
    UNABLE = "unable", _("Unable to capture")


# The short words a set's page says of a finger not captured ("Not captured: bandaged").
MISSING_WORDS = {
    "amputated": _("amputated"),
    "bandaged": _("bandaged"),
    "unable": _("unable"),
}

# Lazy: str() of one is the finger's name in the active language.
FINGER_NAMES = {
    1: _("Right thumb"), 2: _("Right index"), 3: _("Right middle"), 4: _("Right ring"),
    5: _("Right little"), 6: _("Left thumb"), 7: _("Left index"), 8: _("Left middle"),
    9: _("Left ring"), 10: _("Left little"),
}  # fmt: skip


class Finger(models.Model):
    """One finger of a set: an image and template, or the reason it could not be captured."""

    fingerprint_set = models.ForeignKey(
        FingerprintSet, on_delete=models.CASCADE, related_name="fingers"
    )
    position = models.PositiveSmallIntegerField()
    image = models.FileField(upload_to="fingerprints/%Y/%m/", blank=True)
    quality = models.PositiveSmallIntegerField(null=True, blank=True)
    minutiae = models.PositiveSmallIntegerField(default=0)
    template = models.BinaryField(null=True, blank=True, help_text="templatefile format.")
    missing_reason = models.CharField(max_length=10, choices=MissingReason.choices, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint_set", "position"], name="finger_once_per_set"
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=10), name="finger_position_1_10"
            ),
            models.CheckConstraint(
                condition=(models.Q(missing_reason="") & models.Q(template__isnull=False))
                | (~models.Q(missing_reason="") & models.Q(template__isnull=True)),
                name="finger_captured_xor_missing",
            ),
        ]

    def __str__(self) -> str:
        return f"{FINGER_NAMES.get(self.position, self.position)} of set #{self.fingerprint_set_id}"

    @property
    def name(self) -> str:
        return str(FINGER_NAMES[self.position])

    @property
    def needs_recapture(self) -> bool:
        """Captured below settings.RECAPTURE_QUALITY: the officer is prompted to capture again."""
        return not self.missing_reason and (self.quality or 0) < settings.RECAPTURE_QUALITY


class RequestStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class IdentificationRequest(models.Model):
    """A 1:N search of one fingerprint set against the gallery of every member state."""

    fingerprint_set = models.ForeignKey(
        FingerprintSet, on_delete=models.CASCADE, related_name="identifications"
    )
    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=80, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    gallery_size = models.PositiveIntegerField(default=0)
    threshold = models.FloatField(default=0.0)
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="django-tasks result id.")

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Identification #{self.pk} ({self.status})"


class HitStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class Hit(models.Model):
    """A candidate above threshold: a fingerprint expert confirms or rejects it."""

    request = models.ForeignKey(
        IdentificationRequest, on_delete=models.CASCADE, related_name="hits"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    candidate_set = models.ForeignKey(
        FingerprintSet, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField(help_text="Fused MCC score (mean over the probe's fingers).")
    finger_scores = models.JSONField(default=dict)
    fmr = models.FloatField(help_text="Calibrated false match rate at this score.")
    status = models.CharField(max_length=10, choices=HitStatus.choices, default=HitStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["request", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["request", "candidate"], name="hit_once_per_request")
        ]

    def __str__(self) -> str:
        return f"Hit #{self.pk} ({self.status})"


class PersonLink(models.Model):
    """Two records of the same person, established by a confirmed hit."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    hit = models.OneToOneField(Hit, on_delete=models.PROTECT, related_name="link")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="person_link_once"),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("other")), name="person_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"Person #{self.person_id} = person #{self.other_id}"


class CaptureStatus(models.TextChoices):
    DRAFT = "draft", _("Waiting for files")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Extracting")
    DONE = "done", _("Done")
    FAILED = "failed", _("Refused")


class CaptureJob(models.Model):
    """One capture of a person's fingerprints on its way to a set: the uploaded files held on the
    server while features are extracted in the background (with progress), and the files already
    accepted when some were refused, so that the officer chooses again only the refused ones.

    `files` maps a finger position ("1".."10") or "nist" to {"name", "stored"[, "positions"]};
    the stored uploads are removed once the set is saved.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="captures")
    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    status = models.CharField(
        max_length=10, choices=CaptureStatus.choices, default=CaptureStatus.DRAFT
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=120, blank=True)
    files = models.JSONField(default=dict)
    missing = models.JSONField(default=dict, help_text="Finger position -> missing reason.")
    errors = models.JSONField(default=dict, help_text="Field -> message, for the officer.")
    fingerprint_set = models.OneToOneField(
        FingerprintSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="capture"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="django-tasks result id.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Capture #{self.pk} of person #{self.person_id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {CaptureStatus.DONE, CaptureStatus.FAILED}

    def kept(self) -> dict[int, str]:
        """Finger position -> file name of the image files held on the server."""
        return {int(k): str(v["name"]) for k, v in self.files.items() if k.isdigit()}

    @property
    def kept_nist(self) -> str:
        entry = self.files.get("nist")
        return str(entry["name"]) if entry else ""
