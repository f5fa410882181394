"""Filter forms of the picture pages: they parse query strings; scoping stays in selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from borderwatch.accounts.models import User
from borderwatch.picture import selectors

MAX_SPAN_DAYS = 732  # two years: a chart and a table that still read well
DEFAULT_DAYS = 30


class PeriodForm(forms.Form):
    """Countries (limited to the user's member states) and a date range."""

    country = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=_("Countries")
    )
    start = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        choices = [(c.code, c.name) for c in selectors.visible_member_states(user)]
        self.fields["country"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(gettext("The end date is before the start date."))
            if (end - start).days >= MAX_SPAN_DAYS:
                raise forms.ValidationError(
                    ngettext(
                        "Choose at most %(days)s day.",
                        "Choose at most %(days)s days.",
                        MAX_SPAN_DAYS,
                    )
                    % {"days": MAX_SPAN_DAYS}
                )
        return data

    def period(self) -> tuple[list[str] | None, dt.date, dt.date]:
        """The chosen (or default) countries and dates; defaults where the form is invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        countries = list(data.get("country") or []) or None
        end = data.get("end") or selectors.default_period(self.user, countries)[1]
        start = data.get("start") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
        return countries, start, end


class DayForm(forms.Form):
    day = forms.DateField(
        required=False, label=_("Day"), widget=forms.DateInput(attrs={"type": "date"})
    )
