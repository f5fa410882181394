"""Forms of the support pages: parse and label only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from borderwatch.core.codes import MEMBER_STATE_CHOICES
from borderwatch.support.models import AidItem, Instrument, Measure, ResourceType

DATE = forms.DateInput(attrs={"type": "date"})
# The Civil Protection Mechanism gives aid in kind, never money: its offers are aid forms.
MONEY_INSTRUMENTS = [(i.value, i.label) for i in Instrument if i != Instrument.CIVIL_PROTECTION]


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE)
    period_from = forms.DateField(label=_("From"), widget=DATE)
    period_to = forms.DateField(label=_("To"), widget=DATE)
    resource_type = forms.ChoiceField(label=_("Officer profile or equipment"),
                                      choices=ResourceType.choices)  # fmt: skip
    number = forms.IntegerField(
        label=pgettext_lazy("count", "Number"), min_value=1, max_value=10_000
    )
    sections = forms.MultipleChoiceField(label=_("Sections"), required=False)

    def __init__(
        self, *args: object, section_choices: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["sections"].choices = section_choices  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    plan_reference = forms.CharField(label=_("Operational plan reference"), max_length=100)
    plan_from = forms.DateField(label=_("Plan from"), widget=DATE)
    plan_to = forms.DateField(label=_("Plan to"), widget=DATE)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class DeployForm(forms.Form):
    resource_type = forms.ChoiceField(label=_("Officer profile or equipment"),
                                      choices=ResourceType.choices)  # fmt: skip
    number = forms.IntegerField(label=pgettext_lazy("count", "Number"), min_value=1, max_value=1000)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)
    section = forms.ChoiceField(label=_("Section"), required=False)

    def __init__(
        self, *args: object, section_choices: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["section"].choices = [("", "—"), *section_choices]  # type: ignore[attr-defined]


class RotationForm(forms.Form):
    """Who rotates in, and from which day (the deployment's own period bounds it)."""

    resource = forms.TypedChoiceField(label=_("Officer or item rotating in"), coerce=int)
    on = forms.DateField(label=_("Rotation from"), widget=DATE)

    def __init__(
        self, *args: object, resource_choices: list[tuple[int, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["resource"].choices = resource_choices  # type: ignore[attr-defined]


# Amounts stay text here: the service parses them into exact euros and names what is wrong
# (a negative amount, a third decimal place, a currency other than EUR).
class _MoneyForm(forms.Form):
    amount = forms.CharField(label=_("Amount"), max_length=40,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))  # fmt: skip
    currency = forms.CharField(label=_("Currency"), max_length=8, initial="EUR")


class FundingOfferForm(_MoneyForm):
    field_order = ["beneficiary_state", "instrument", "title", "amount", "currency", "offered_on",
                   "source"]  # fmt: skip
    beneficiary_state = forms.ChoiceField(label=_("Member state"), choices=MEMBER_STATE_CHOICES)
    instrument = forms.ChoiceField(label=_("Instrument"), choices=MONEY_INSTRUMENTS)
    title = forms.CharField(label=_("Title"), max_length=200)
    offered_on = forms.DateField(label=_("Offered on"), widget=DATE)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)


class AwardForm(_MoneyForm):
    awarded_on = forms.DateField(label=_("Awarded on"), widget=DATE)


class AllocationForm(_MoneyForm):
    field_order = ["measure", "amount", "currency", "on"]
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    on = forms.DateField(label=_("On"), widget=DATE)


class PaymentForm(AllocationForm):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AidForm(forms.Form):
    beneficiary_state = forms.ChoiceField(label=_("Member state"), choices=MEMBER_STATE_CHOICES)
    contributing_state = forms.ChoiceField(label=_("Contributing state"),
                                           choices=MEMBER_STATE_CHOICES)  # fmt: skip
    item = forms.ChoiceField(label=_("Item"), choices=AidItem.choices)
    quantity = forms.IntegerField(label=_("Quantity"))
    offered_on = forms.DateField(label=_("Offered on"), widget=DATE)


class DeliveryForm(forms.Form):
    aid = forms.TypedChoiceField(label=_("Aid offered"), coerce=int)
    quantity = forms.IntegerField(label=_("Quantity delivered"))
    on = forms.DateField(label=_("Delivered on"), widget=DATE)

    def __init__(self, *args: object, aid_choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["aid"].choices = aid_choices  # type: ignore[attr-defined]
