"""HTML forms of the border pages; the services do the real validation."""

from __future__ import annotations

from typing import Any

from django import forms

from borderwatch.border.models import EventSource, EventType, ImpactLevel
from borderwatch.border.validation import EventInput, parse_nationalities


class EventForm(forms.Form):
    """An event as a person enters it: the time is local to the member state's zone `zone`."""

    ref = forms.CharField(max_length=64, help_text="The reporting system's identifier.")
    occurred_at = forms.DateTimeField(
        label="Local time",
        help_text="Local time of the event, e.g. 2021-07-27 22:40",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    event_type = forms.ChoiceField(choices=EventType.choices, label="Type")
    latitude = forms.FloatField(min_value=-90, max_value=90)
    longitude = forms.FloatField(min_value=-180, max_value=180)
    persons = forms.IntegerField(min_value=1)
    nationalities = forms.CharField(help_text="CODE:COUNT;… e.g. IQ:10;SY:2 (XX: unknown)")
    source = forms.ChoiceField(choices=EventSource.choices)
    reporting_unit = forms.CharField(max_length=100)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if zone:  # say which clock the time is read on
            self.fields["occurred_at"].label = f"Local time ({zone})"

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


class CorrectionForm(EventForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV or JSON, UTF-8; see the column list below.")


class ConfirmLevelForm(forms.Form):
    level = forms.ChoiceField(choices=ImpactLevel.choices)
    reason = forms.CharField(required=False, widget=forms.TextInput())


class RejectLevelForm(forms.Form):
    reason = forms.CharField(widget=forms.TextInput())
