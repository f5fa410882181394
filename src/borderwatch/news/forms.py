"""Forms of the news pages: each parses input only; the services judge it (time zone, date,
member state, reasons)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from borderwatch.core.codes import MEMBER_STATES

MAX_TEXT = 200_000
LANGUAGES = [
    ("en", _("English")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("pl", _("Polish")),
    ("ru", _("Russian")),
    ("de", _("German")),
    ("fr", _("French")),
]
TIME_ZONE_HELP = _("An IANA time zone, e.g. Europe/Vilnius: relative dates are read in it.")


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class SourceFields(forms.Form):
    """Where an article comes from and when it was published, as the analyst states it."""

    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    published_on = forms.DateField(label=_("Publication date"), widget=DateInput, required=False)
    published_time = forms.TimeField(
        label=_("Publication time"),
        widget=TimeInput,
        required=False,
        help_text=_("Leave empty for midday."),
    )
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=64, initial="Europe/Vilnius", help_text=TIME_ZONE_HELP
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial="en")


class PasteForm(SourceFields):
    title = forms.CharField(label=_("Headline"), max_length=300, required=False)
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        required=False,
        help_text=_("Recorded only: nothing is fetched."),
    )
    text = forms.CharField(
        label=_("Article text"), max_length=MAX_TEXT, widget=forms.Textarea({"rows": 14})
    )
    field_order = ["text", "title", "source", "url", "published_on", "published_time"]


class UploadForm(SourceFields):
    """A file and, for a .txt or .html (which carry none), its source and date; a field left
    empty keeps what the file says (.eml headers, .json keys)."""

    file = forms.FileField(label=_("File (.txt, .html, .eml or .json)"))
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=64, required=False, help_text=TIME_ZONE_HELP
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("As in the file")), *LANGUAGES], required=False
    )
    field_order = ["file", "source", "published_on", "published_time"]


STATE_CHOICES = [("", _("Keep")), *((c, c) for c in sorted(MEMBER_STATES))]


class DecisionForm(forms.Form):
    """One decision on a claim: accept, correct (with changed fields) or reject, with a reason
    for the last two."""

    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("correct", _("Correct")), ("reject", _("Reject"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)
    state = forms.ChoiceField(label=_("Member state"), choices=STATE_CHOICES, required=False)
    day_from = forms.DateField(label=_("First day"), widget=DateInput, required=False)
    day_to = forms.DateField(label=_("Last day"), widget=DateInput, required=False)
    count = forms.IntegerField(label=_("Count"), min_value=0, max_value=10**7, required=False)
