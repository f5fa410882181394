"""The audit trail's filters: one form for the page, the CSV export and the API's query."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderwatch.accounts.models import User
from borderwatch.audit.selectors import Filters
from borderwatch.core.audit import Action
from borderwatch.core.codes import MEMBER_STATES
from borderwatch.core.permissions import visible_states

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The period a filter may name: wide enough for any entry, narrow enough that a day's bounds
# never overflow a datetime (year 1 or 9999 in another time zone would).
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


def object_types() -> list[str]:
    """The objects the trail names: every model label of borderwatch's apps."""
    return sorted(
        m._meta.label for m in apps.get_models() if m.__module__.startswith("borderwatch.")
    )


def _date_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        required=False,
        label=label,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class FilterForm(forms.Form):
    user = forms.CharField(required=False, max_length=150, label=gettext_lazy("User"))
    action = forms.ChoiceField(required=False, label=gettext_lazy("Action"))
    object_type = forms.ChoiceField(required=False, label=gettext_lazy("Object type"))
    object_id = forms.CharField(required=False, max_length=64, label=gettext_lazy("Object number"))
    state = forms.ChoiceField(required=False, label=gettext_lazy("Member state"))
    start = _date_field(gettext_lazy("From"))
    end = _date_field(gettext_lazy("To"))

    def __init__(self, data: Any, *, user: User) -> None:
        super().__init__(data)
        anything = [("", _("any"))]
        states = visible_states(user)
        codes = sorted(MEMBER_STATES) if states is None else states
        choices = {
            "action": [(a.value, a.value) for a in Action],
            "object_type": [(t, t) for t in object_types()],
            "state": [(c, MEMBER_STATES.get(c, c)) for c in codes],
        }
        for name, values in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = anything + values
        for name in ("user", "object_id"):
            self.fields[name].widget.attrs["dir"] = "auto"
        for name in ("start", "end"):  # in the language of this request, naming the field
            field = self.fields[name]
            field.error_messages["invalid"] = _("%(field)s: enter a date as YYYY-MM-DD.") % {
                "field": field.label
            }

    def _bounded(self, name: str) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get(name)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ValidationError(
                _("%(field)s: a date from %(earliest)s to %(latest)s.")
                % {"field": self.fields[name].label, "earliest": EARLIEST, "latest": LATEST}
            )
        return day

    def clean_start(self) -> dt.date | None:
        return self._bounded("start")

    def clean_end(self) -> dt.date | None:
        return self._bounded("end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error(
                "end",
                _("To: the period ends (%(end)s) before it starts (%(start)s).")
                % {"end": end, "start": start},
            )
        return data

    def filters(self) -> Filters:
        """The valid filters (call after is_valid())."""
        d = self.cleaned_data
        return Filters(
            user=d["user"].strip(), action=d["action"], object_type=d["object_type"],
            object_id=d["object_id"].strip(), state=d["state"], start=d["start"], end=d["end"],
        )  # fmt: skip

    def problems(self) -> ValidationError:
        """The form's errors as one ValidationError by field (the API's 422)."""
        return ValidationError({k: [str(m) for m in v] for k, v in self.errors.items()})
