"""Forms of the procedure pages: each parses input only; the services judge it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from borderwatch.procedures.services.applications import MAX_TEXT


class DateInput(forms.DateInput):
    input_type = "date"


class ApplicationForm(forms.Form):
    person_id = forms.IntegerField(label=_("Person number"), min_value=1, max_value=2**62)
    made_on = forms.DateField(label=_("Application made on"), widget=DateInput)
    at_border_crossing_point = forms.BooleanField(
        label=_("Made at a border crossing point"), required=False
    )


class StepForm(forms.Form):
    """One transition: the day it takes effect, its reasons and, for the interview, the record."""

    on = forms.DateField(label=_("Day"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reasons"), required=False, max_length=MAX_TEXT, widget=forms.Textarea({"rows": 5})
    )
    interview_record = forms.CharField(
        label=_("Interview record"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea({"rows": 8}),
    )


class ExtensionForm(forms.Form):
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=21)
    reason = forms.CharField(
        label=_("Reasons"), max_length=MAX_TEXT, widget=forms.Textarea({"rows": 4})
    )
