"""Forms of the support pages: parse and label only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from borderwatch.support.models import ResourceType

DATE = forms.DateInput(attrs={"type": "date"})


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
