"""The Return Directive's clocks (2008/115): pure, no Django.

Art 7: a voluntary departure period of 7 to 30 days, extendable where the circumstances call for
it, and none where there is a risk of absconding. Art 15(5)-(6): detention for return of at most
6 months, extendable by at most 12 further months (18 in all). Errors carry a code and the
numbers; the services put them in the user's language.
"""

from __future__ import annotations

import datetime as dt

from borderwatch.procedures.deadlines import DeadlineError, add_months

DEPARTURE_MIN_DAYS = 7
DEPARTURE_MAX_DAYS = 30
DETENTION_MONTHS = 6
DETENTION_EXTENSION_MONTHS = 12
DETENTION_CEILING_MONTHS = DETENTION_MONTHS + DETENTION_EXTENSION_MONTHS
# A detention limit counts as due soon this many working days ahead (the asylum lists use 5;
# a release or an extension order takes longer to prepare).
DETENTION_SOON_WORKING_DAYS = 10


def check_departure_period(days: int | None, risk_of_absconding: bool) -> None:
    """Art 7(1) and 7(4): 7 to 30 days, or none where the person may abscond."""
    if days is None:
        return
    if risk_of_absconding:
        raise DeadlineError("departure_with_risk")
    if not DEPARTURE_MIN_DAYS <= days <= DEPARTURE_MAX_DAYS:
        raise DeadlineError(
            "departure_range", low=DEPARTURE_MIN_DAYS, high=DEPARTURE_MAX_DAYS, days=days
        )


def departure_due(decided_on: dt.date, days: int, extended_days: int = 0) -> dt.date:
    """The last day of the voluntary departure period (counted from the decision)."""
    return decided_on + dt.timedelta(days=days + extended_days)


def check_detention(months_before: int, months: int) -> None:
    """Art 15(5)-(6): the first order at most 6 months; extensions bring the whole to at most 18."""
    if months < 1:
        raise DeadlineError("at_least_one_month", months=months)
    if months_before == 0 and months > DETENTION_MONTHS:
        raise DeadlineError("detention_first", limit=DETENTION_MONTHS, months=months)
    if months_before + months > DETENTION_CEILING_MONTHS:
        raise DeadlineError(
            "detention_ceiling",
            limit=DETENTION_CEILING_MONTHS,
            left=DETENTION_CEILING_MONTHS - months_before,
        )


def detention_until(detained_on: dt.date, months: int) -> dt.date:
    """The last day of the detention ordered: `months` after it began."""
    return add_months(detained_on, months)
