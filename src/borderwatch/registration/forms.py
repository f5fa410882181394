"""HTML forms of the registration pages: they parse input; the services validate and decide."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core import validators
from django.forms.utils import pretty_name
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from borderwatch.core.uploads import oversized
from borderwatch.registration.capture import too_large
from borderwatch.registration.models import (
    FINGER_NAMES,
    VULNERABILITY_FLAGS,
    DocumentType,
    MissingReason,
    Sex,
)

NULL_CHARACTERS = validators.ProhibitNullCharactersValidator
YEAR_ONLY = re.compile(r"^\s*(\d{4})\s*$")


class BirthDateField(forms.CharField):
    """YYYY-MM-DD, or a year alone for an estimated age (read as 1 January of that year)."""

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = str(super().to_python(value) or "").strip()
        if not text:
            return None
        year = YEAR_ONLY.match(text)
        try:
            return dt.date(int(year.group(1)), 1, 1) if year else dt.date.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(
                gettext("Enter YYYY-MM-DD, or a year alone (YYYY).")
            ) from None


class PersonRowForm(forms.Form):
    """One person of a group: the fields an officer types at the border."""

    name_as_written = forms.CharField(
        max_length=200,
        required=False,
        label=_("Name as written (original script)"),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    # not stripped here: a name of only spaces, like control characters, is refused by the
    # person's own check (Person.clean), in the same words as for the API
    name_transliterated = forms.CharField(
        max_length=200, strip=False, label=_("Name in Latin letters")
    )
    date_of_birth = BirthDateField(
        required=False,
        label=_("Date of birth"),
        widget=forms.TextInput(attrs={"placeholder": _("YYYY-MM-DD or YYYY"), "size": 11}),
    )
    dob_is_estimated = forms.BooleanField(required=False, label=_("Estimated"))
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN, label=_("Sex"))
    nationality = forms.CharField(
        max_length=2,
        initial="XX",
        label=_("Claimed nationality"),
        widget=forms.TextInput(
            attrs={"size": 3, "list": "nationality-codes", "autocapitalize": "characters"}
        ),
    )
    minor = forms.BooleanField(required=False, label=_("Minor"))
    unaccompanied_minor = forms.BooleanField(required=False, label=_("Unaccompanied minor"))
    pregnancy = forms.BooleanField(required=False, label=_("Pregnancy"))
    disability = forms.BooleanField(required=False, label=_("Disability"))
    elderly = forms.BooleanField(required=False, label=_("Elderly"))
    trafficking_victim = forms.BooleanField(required=False, label=_("Trafficking victim"))
    household = forms.CharField(
        max_length=40,
        required=False,
        label=_("Household"),
        widget=forms.TextInput(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("name_as_written", "name_transliterated", "household"):
            self.fields[name].validators = [
                v for v in self.fields[name].validators if not isinstance(v, NULL_CHARACTERS)
            ]
        index = str(self.prefix or "").rpartition("-")[2]
        row = str(int(index) + 1) if index.isdigit() else "__row__"
        for name, field in self.fields.items():  # one table row per person: name each input
            label = field.label or pretty_name(name)
            field.widget.attrs["aria-label"] = gettext("%(field)s, row %(row)s") % {
                "field": label,
                "row": row,
            }

    def clean_nationality(self) -> str:
        return str(self.cleaned_data["nationality"]).strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if YEAR_ONLY.match(str(self.data.get(self.add_prefix("date_of_birth"), ""))):
            data["dob_is_estimated"] = True  # a year alone is always an estimate
        return data

    def to_row(self) -> dict[str, Any]:
        """The service's keyword arguments for this person."""
        return dict(self.cleaned_data)

    def flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in VULNERABILITY_FLAGS]


MAX_GROUP = 200


def person_formset(rows: int = 1) -> type[forms.BaseFormSet[PersonRowForm]]:
    """A formset of `rows` blank rows; blank rows are skipped when the form is posted."""
    return forms.formset_factory(
        PersonRowForm, extra=max(1, min(rows, MAX_GROUP)), max_num=MAX_GROUP,
        absolute_max=MAX_GROUP,
    )  # fmt: skip


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(choices=DocumentType.choices, label=_("Type"))
    number = forms.CharField(max_length=40, label=_("Number"))
    issuing_country = forms.CharField(
        max_length=2,
        label=_("Issuing country (ISO code)"),
        widget=forms.TextInput(attrs={"size": 3, "list": "nationality-codes"}),
    )

    def clean_issuing_country(self) -> str:
        return str(self.cleaned_data["issuing_country"]).strip().upper()


class CitizenshipErasureForm(forms.Form):
    acquired_on = forms.DateField(
        label=_("Citizenship acquired on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note (the decision's reference)"), max_length=500, required=False
    )
    confirm = forms.BooleanField(
        label=_("I understand that everything about this person is erased and cannot be restored"),
    )


MISSING_CHOICES = [("", _("captured (file above)")), *MissingReason.choices]


class CaptureForm(forms.Form):
    """Ten labelled file inputs, or one ANSI/NIST-ITL file, plus a missing reason per finger."""

    nist = forms.FileField(required=False, label=_("or one ANSI/NIST-ITL file (all fingers)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refused: dict[str, str] = {}  # by field: files too large to read (clean)
        for pos, name in FINGER_NAMES.items():
            self.fields[f"finger_{pos}"] = forms.FileField(required=False, label=f"{pos} · {name}")
            self.fields[f"missing_{pos}"] = forms.ChoiceField(
                choices=MISSING_CHOICES,
                required=False,
                label=gettext("%(finger)s: if not captured") % {"finger": name},
            )

    def finger_rows(
        self, kept: dict[int, str] | None = None
    ) -> list[tuple[int, forms.BoundField, forms.BoundField, str]]:
        """Per finger: the file input, the missing reason and the file already held (if any)."""
        held = kept or {}
        return [
            (p, self[f"finger_{p}"], self[f"missing_{p}"], held.get(p, "")) for p in FINGER_NAMES
        ]

    def images(self) -> dict[int, tuple[str, bytes]]:
        """The finger files to check, read; those refused by size (`refused`) are left unread."""
        out = {}
        for pos in FINGER_NAMES:
            upload = self.cleaned_data.get(f"finger_{pos}")
            if upload is not None and f"finger_{pos}" not in self.refused:
                out[pos] = (upload.name or f"finger_{pos}", upload.read())
        return out

    def missing(self) -> dict[int, str]:
        return {
            pos: str(self.cleaned_data[f"missing_{pos}"])
            for pos in FINGER_NAMES
            if self.cleaned_data.get(f"missing_{pos}")
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # by size, before anything reads a file (core.uploads stored none beyond its cap): a
        # refused file is named like one that does not decode, and the others are still held
        self.refused = {}
        for field, position in [("nist", None), *((f"finger_{p}", p) for p in FINGER_NAMES)]:
            upload = data.get(field)
            refused = upload and too_large(
                position, upload.name or field, upload.size or 0, oversized(upload)
            )
            if refused:
                self.refused[field] = refused
        has_images = any(data.get(f"finger_{p}") for p in FINGER_NAMES)
        if data.get("nist") and has_images:
            raise forms.ValidationError(
                gettext("Upload ten finger files or one ANSI/NIST-ITL file, not both.")
            )
        return data


class RecaptureForm(forms.Form):
    position = forms.IntegerField(min_value=1, max_value=10, widget=forms.HiddenInput)
    image = forms.FileField(label=_("New image"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, position = data.get("image"), data.get("position")
        refused = (
            upload
            and position
            and too_large(position, upload.name or "image", upload.size, oversized(upload))
        )
        if refused:
            self.add_error("image", refused)
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("reject", _("Reject"))])
    reason = forms.CharField(
        max_length=300,
        required=False,
        label=_("Reason (required to reject)"),
        widget=forms.TextInput(attrs={"size": 50}),
    )


class DayForm(forms.Form):
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
