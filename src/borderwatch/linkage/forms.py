"""The decision form of a candidate pair."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from borderwatch.core.workflow import MAX_REASON
from borderwatch.linkage.models import PairStatus


class PairDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=PairStatus.choices[1:])
    reason = forms.CharField(
        max_length=MAX_REASON,
        label=_("Reason"),
        help_text=_("Say what you compared: it is kept with the decision."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
