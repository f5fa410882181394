"""Sentences saved in English with a proposal (its stage, each unplaced row's rule and reason),
shown in the user's language.

The placement engine is framework-free: it explains an unplaced arrival in English words of its
own. Each of its sentence kinds is recognised here and said again from a translated pattern with
the same figures and names; a sentence not recognised is shown as saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

# The engine's rules (engines.placement.Rule values), as named on a proposal row.
RULE_LABELS = {
    "capacity": gettext_lazy("capacity"),
    "needs": gettext_lazy("needs"),
    "family_together": gettext_lazy("family together"),
    "category": gettext_lazy("category"),
}

# The engine's words for whose places (engines.placement.rules.CATEGORY_LABELS), as the words
# after "places" ("places for single men") in each language.
_WHOSE = {
    "single men's": gettext_lazy("single men"),
    "single women's": gettext_lazy("single women"),
    "family": gettext_lazy("families"),
    "unaccompanied minors'": gettext_lazy("unaccompanied minors"),
}
_NEEDS = {
    "medical": gettext_lazy("medical care"),
    "open regime": gettext_lazy("an open (non-detention) regime"),
    "interpreters": gettext_lazy("interpreters"),
}

# A proposal row's needs (engines.placement.Need values), as listed on the row.
NEED_NAMES = {
    "medical": gettext_lazy("medical"),
    "open_regime": gettext_lazy("open regime"),
    "interpreters": gettext_lazy("interpreters"),
}

_LABEL = r"(?P<label>single men's|single women's|family|unaccompanied minors')"
_WHO = r"(?P<who>The household of (?P<size>\d+)|This person)"


def _who(found: dict[str, str]) -> str:
    if found.get("size"):
        return _("The household of %(n)s") % {"n": found["size"]}
    return _("This person")


def _needs(text: str) -> str:
    return _(" and ").join(str(_NEEDS.get(n, n)) for n in text.split(" and "))


def _args(found: dict[str, str]) -> dict[str, str]:
    args = {k: v for k, v in found.items() if v is not None}
    if "label" in args:
        args["label"] = str(_WHOSE[args["label"]])
    if "who" in args:
        args["who"] = _who(found)
    if "needs" in args:
        args["needs"] = _needs(args["needs"])
    return args


_REASONS: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = [
    (
        re.compile(
            _WHO + r" must join the family in (?P<home>.+), which is not among the facilities "
            r"that may be used\.$"
        ),
        lambda a: (
            _(
                "%(who)s must join the family in %(home)s, which is not among the facilities that "
                "may be used."
            )
            % a
        ),
    ),
    (
        re.compile(
            _WHO
            + r" must join the family in (?P<home>.+), which has (?P<free>\d+) free "
            + _LABEL
            + r" places or lacks a needed service\.$"
        ),
        lambda a: (
            _(
                "%(who)s must join the family in %(home)s, which has %(free)s free places for "
                "%(label)s or lacks a needed service."
            )
            % a
        ),
    ),
    (
        re.compile(r"No facility has a free " + _LABEL + r" place\.$"),
        lambda a: _("No facility has a free place for %(label)s.") % a,
    ),
    (
        re.compile(
            _WHO
            + r" needs (?P<needs>.+); no facility offering it has a free "
            + _LABEL
            + r" place\.$"
        ),
        lambda a: (
            _("%(who)s needs %(needs)s; no facility offering it has a free place for %(label)s.")
            % a
        ),
    ),
    (
        re.compile(
            _WHO + r" must stay together, but no suitable facility has more than (?P<free>\d+) "
            r"free " + _LABEL + r" places\.$"
        ),
        lambda a: (
            _(
                "%(who)s must stay together, but no suitable facility has more than %(free)s free "
                "places for %(label)s."
            )
            % a
        ),
    ),
    (
        re.compile(
            r"Not enough free " + _LABEL + r" places offering (?P<needs>.+): (?P<need>\d+) people "
            r"in this batch need one, (?P<supply>\d+) are free\.$"
        ),
        lambda a: (
            _(
                "Not enough free places for %(label)s offering %(needs)s: %(need)s people in this "
                "batch need one, %(supply)s are free."
            )
            % a
        ),
    ),
    (
        re.compile(
            r"Not enough free " + _LABEL + r" places: (?P<need>\d+) people in this batch need "
            r"one, (?P<supply>\d+) are free\.$"
        ),
        lambda a: (
            _(
                "Not enough free places for %(label)s: %(need)s people in this batch need one, "
                "%(supply)s are free."
            )
            % a
        ),
    ),
    (
        re.compile(
            _WHO + r" must stay together; once the others are placed, no facility offering "
            r"(?P<needs>.+) has (?P<n>\d+) free " + _LABEL + r" places left in one block\.$"
        ),
        lambda a: (
            _(
                "%(who)s must stay together; once the others are placed, no facility offering "
                "%(needs)s has %(n)s free places for %(label)s left in one block."
            )
            % a
        ),
    ),
    (
        re.compile(
            _WHO + r" must stay together; once the others are placed, no facility has "
            r"(?P<n>\d+) free " + _LABEL + r" places left in one block\.$"
        ),
        lambda a: (
            _(
                "%(who)s must stay together; once the others are placed, no facility has %(n)s free "
                "places for %(label)s left in one block."
            )
            % a
        ),
    ),
    (
        re.compile(r"Sex not recorded: choose single men's or women's places\.$"),
        lambda a: _("Sex not recorded: choose single men's or women's places."),
    ),
]

_STAGES: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = [
    (
        re.compile(
            r"Solving for (?P<persons>\d+) persons in (?P<facilities>\d+) facilities \(HiGHS\)$"
        ),
        lambda a: _("Solving for %(persons)s persons in %(facilities)s facilities (HiGHS)") % a,
    ),
    (
        re.compile(r"Saving (?P<rows>\d+) proposed rows$"),
        lambda a: _("Saving %(rows)s proposed rows") % a,
    ),
]


def needs(values: list[str]) -> str:
    """A proposal row's needs, listed."""
    return ", ".join(str(NEED_NAMES.get(v, v.replace("_", " "))) for v in values or [])


def rule(value: str) -> str:
    """A rule's name on a proposal row."""
    return str(RULE_LABELS.get(value, value.replace("_", " ")))


def reason(text: str) -> str:
    """The engine's sentence why a row is not placed, in the user's language (in English, as
    the engine said it)."""
    if (get_language() or "en").split("-")[0] == "en":
        return text
    for pattern, say in _REASONS:
        found = pattern.match(text)
        if found:
            return say(_args(found.groupdict()))
    return text


def stage(text: str) -> str:
    """A proposal's stage ("Waiting for a worker", "Saving 12 proposed rows", ...)."""
    for pattern, say in _STAGES:
        found = pattern.match(text)
        if found:
            return say(found.groupdict())
    return _(text) if text else text
