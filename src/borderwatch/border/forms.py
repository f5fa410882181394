"""HTML forms of the border pages; the services do the real validation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms.fields import BaseTemporalField
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from borderwatch.border.models import EventSource, EventType, ImpactLevel
from borderwatch.border.validation import (
    LABELS,
    MAX_LENGTH,
    MAX_PERSONS,
    EventInput,
    parse_nationalities,
)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time kept as written (naive): the service reads it in the member state's zone
    and refuses a time that a clock change skipped or repeated, as it does for the import."""

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        try:
            result = parse_datetime(str(value).strip())
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if result is None:
            result = BaseTemporalField.to_python(self, value)
        return result


class EventForm(forms.Form):
    """An event as a person enters it: the time is local to the member state's zone `zone`.

    The labels are the ones every message about an event uses (validation.LABELS).
    """

    ref = forms.CharField(
        label=LABELS["ref"],
        help_text=_("The reporting system's identifier."),
        widget=forms.TextInput(attrs={"maxlength": MAX_LENGTH["ref"]}),
    )
    occurred_at = LocalDateTimeField(
        label=LABELS["occurred_at"],
        help_text=_("Local time, e.g. 2021-07-27 22:40"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    event_type = forms.ChoiceField(choices=EventType.choices, label=LABELS["event_type"])
    latitude = forms.FloatField(min_value=-90, max_value=90, label=LABELS["latitude"])
    longitude = forms.FloatField(min_value=-180, max_value=180, label=LABELS["longitude"])
    persons = forms.IntegerField(
        label=LABELS["persons"], widget=forms.NumberInput(attrs={"min": 1, "max": MAX_PERSONS})
    )
    nationalities = forms.CharField(
        label=LABELS["nationalities"], help_text=_("CODE:COUNT;… e.g. IQ:10;SY:2 (XX: unknown)")
    )
    source = forms.ChoiceField(choices=EventSource.choices, label=LABELS["source"])
    reporting_unit = forms.CharField(
        label=LABELS["reporting_unit"],
        widget=forms.TextInput(attrs={"maxlength": MAX_LENGTH["reporting_unit"]}),
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=LABELS["description"]
    )

    def __init__(self, *args: Any, zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("ref", "reporting_unit", "description"):
            # lengths and characters are checked once, in validation (same words as the API)
            self.fields[name].validators = []
        if zone:  # say which clock the time is read on
            self.fields["occurred_at"].label = gettext("%(label)s (local time, %(zone)s)") % {
                "label": LABELS["occurred_at"],
                "zone": zone,
            }

    def clean_nationalities(self) -> dict[str, int | str]:
        try:
            return parse_nationalities(self.cleaned_data["nationalities"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def to_input(self) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            ref=data["ref"],
            occurred_at=data["occurred_at"],
            event_type=data["event_type"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            persons=data["persons"],
            nationalities=data["nationalities"],
            source=data["source"],
            reporting_unit=data["reporting_unit"],
            description=data["description"],
        )


REASON = _("Reason")


class CorrectionForm(EventForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=REASON)


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=REASON)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV or JSON, UTF-8; see the column list below.")
    )


class ConfirmLevelForm(forms.Form):
    level = forms.ChoiceField(choices=ImpactLevel.choices, label=_("Level"))
    reason = forms.CharField(required=False, widget=forms.TextInput(), label=REASON)


class RejectLevelForm(forms.Form):
    reason = forms.CharField(widget=forms.TextInput(), label=REASON)
