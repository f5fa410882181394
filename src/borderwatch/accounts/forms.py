"""Forms of the accounts app."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from borderwatch.accounts.services import MAX_TOKEN_DAYS


class TokenForm(forms.Form):
    """A new API token: a name to tell it apart, and the days it lives."""

    name = forms.CharField(
        max_length=100,
        label=pgettext_lazy("token", "Name"),
        help_text=_("Where it is used, e.g. “station laptop”."),
    )
    days = forms.IntegerField(
        min_value=1,
        max_value=max(MAX_TOKEN_DAYS, settings.TOKEN_DAYS),
        initial=settings.TOKEN_DAYS,
        label=_("Days valid"),
    )
