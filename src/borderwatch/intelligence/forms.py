"""Forms of the intelligence pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from borderwatch.intelligence.imports import KIND_LABELS


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=list(KIND_LABELS.items()))
    file = forms.FileField(label=_("CSV or JSON file"))


class ForecastForm(forms.Form):
    member_state = forms.ChoiceField(label=_("Member state"), choices=[])
    section = forms.ChoiceField(
        label=_("Border section"),
        choices=[],
        required=False,
        help_text=_(
            "Empty: the whole member state. A section must be on the chosen state's border."
        ),
    )
    until = forms.DateField(
        label=_("Last observed day"),
        required=False,
        help_text=_("Empty: the latest day with events."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    horizon = forms.IntegerField(label=_("Days ahead"), min_value=1, max_value=14, initial=14)

    def __init__(
        self,
        *args: object,
        states: list[tuple[str, str]],
        sections: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["member_state"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = states
        section = self.fields["section"]
        assert isinstance(section, forms.ChoiceField)
        section.choices = [("", _("The whole member state")), *sections]


class WhatIfForm(forms.Form):
    resume_on = forms.DateField(
        label=_("Flights resume on"), widget=forms.DateInput(attrs={"type": "date"})
    )
