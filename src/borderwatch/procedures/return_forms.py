"""Forms of the return pages: each parses input only; the services judge it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from borderwatch.procedures.forms import DateInput
from borderwatch.procedures.models import FlightKind, PolicyKind, ReturnKind
from borderwatch.procedures.services.returns import MAX_TEXT


def _reason(required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Reasons"), required=required, max_length=1000, widget=forms.Textarea({"rows": 3})
    )


class ReturnDecisionForm(forms.Form):
    person_id = forms.IntegerField(label=_("Person number"), min_value=1, max_value=2**62)
    application_id = forms.IntegerField(
        label=_("Finally rejected asylum application (number, optional)"), required=False,
        min_value=1, max_value=2**62,
    )  # fmt: skip
    decided_on = forms.DateField(label=_("Return decision of"), widget=DateInput)
    country = forms.CharField(label=_("Country of return (ISO code)"), min_length=2, max_length=2)
    kind = forms.ChoiceField(label=_("Kind of return"), choices=ReturnKind.choices)
    risk_of_absconding = forms.BooleanField(label=_("Risk of absconding"), required=False)
    departure_days = forms.IntegerField(
        label=_("Voluntary departure period (days, 7 to 30)"), required=False, min_value=0,
        max_value=365,
    )  # fmt: skip
    entry_ban_years = forms.IntegerField(
        label=_("Entry ban (years, optional)"), required=False, min_value=0, max_value=99
    )
    decision_text = forms.CharField(
        label=_("Reasoned return decision"), max_length=MAX_TEXT, widget=forms.Textarea({"rows": 5})
    )


class DayReasonForm(forms.Form):
    on = forms.DateField(label=_("Day"), widget=DateInput)
    reason = _reason(required=False)


class DayForm(forms.Form):
    on = forms.DateField(label=_("Day"), widget=DateInput)


class DepartureForm(forms.Form):
    days = forms.IntegerField(label=_("Extension (days)"), min_value=0, max_value=365)
    reason = _reason()


class DetentionStartForm(forms.Form):
    on = forms.DateField(label=_("Detained from"), widget=DateInput)
    months = forms.IntegerField(label=_("Months ordered (at most 6)"), min_value=0, max_value=99)
    reason = _reason()


class DetentionExtendForm(forms.Form):
    months = forms.IntegerField(label=_("Further months"), min_value=0, max_value=99)
    reason = _reason()


class DetentionEndForm(forms.Form):
    on = forms.DateField(label=_("Released on"), widget=DateInput)
    reason = _reason()


class FlightForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of flight"), choices=FlightKind.choices)
    departs_on = forms.DateField(label=_("Departs on"), widget=DateInput)
    route = forms.CharField(label=_("Route"), max_length=120)
    country = forms.CharField(label=_("Country of return (ISO code)"), min_length=2, max_length=2)
    seats = forms.IntegerField(label=_("Seats"), min_value=0, max_value=100_000)
    escorts = forms.IntegerField(label=_("Escorts"), min_value=0, max_value=100_000, initial=0)


class BoardForm(forms.Form):
    case_id = forms.IntegerField(label=_("Return case number"), min_value=1, max_value=2**62)


class CancelForm(forms.Form):
    reason = _reason()


class PolicyForm(forms.Form):
    country = forms.CharField(label=_("Country of return (ISO code)"), min_length=2, max_length=2)
    kind = forms.ChoiceField(label=_("Policy"), choices=PolicyKind.choices)
    valid_from = forms.DateField(label=_("From"), widget=DateInput)
    valid_to = forms.DateField(label=_("To (optional)"), widget=DateInput, required=False)
    title = forms.CharField(label=_("Decision or letter"), max_length=200)
