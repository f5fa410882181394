"""The demo scenario's Frontex support and EU funding (shared/SCENARIO.md), through the services.

Facts: 35 Frontex officers in Lithuania and 4 in Latvia at the end of July 2021, with fingerprint
scanners; the rapid border intervention in Lithuania from 30 July 2021 (about 100 officers, 30
patrol cars, 2 helicopters; ended 30 November 2021); the Commission's offer of EUR 12 million
(28 July 2021) and the EUR 36.7 million of AMIF emergency assistance awarded to Lithuania on
11 August 2021; temporary shelter in kind through the Civil Protection Mechanism. Everything else
(profiles, contributing states, sections, days of deployment, allocations, payments, the aid's
contributors and quantities) is generated from the seed and every row is marked synthetic.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from borderwatch.border import selectors as border_selectors
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.support.models import (
    AssistanceRequest,
    Deployment,
    FundingDecision,
    InKindAid,
    RequestStatus,
    Resource,
)
from borderwatch.support.services.funding import (
    allocate,
    award_funding,
    deliver_aid,
    offer_aid,
    offer_funding,
    pay,
)
from borderwatch.support.services.requests import (
    advance_request,
    deploy,
    offer_resources,
    submit_request,
)

D = dt.date
SOURCE_LETTER = "Commissioner's letter of 28 July 2021 (reported 29 July 2021)"
SOURCE_AWARD = "European Commission, 11 August 2021: EUR 36.7 million emergency assistance (AMIF)"
CONTRIBUTORS = ["DE", "PL", "LV", "EE", "FI", "SE", "NL", "AT", "CZ", "SK", "HR", "RO", "BE", "FR"]
CONTRIBUTORS_EQ = ["DE", "PL", "EE", "FI", "NL", "AT"]

# (host, title, submitted, plan, profiles, equipment): the facts are the totals.
JO_LT = {"border_surveillance": 25, "screening": 4, "debriefing": 3, "registration": 3}
JO_LV = {"border_surveillance": 3, "document_expert": 1}
RBI_ASK = {"border_surveillance": 60, "screening": 10, "debriefing": 10, "registration": 10,
           "dog_handler": 6, "document_expert": 4, "patrol_car": 30, "helicopter": 2,
           "fingerprint_scanner": 10}  # fmt: skip
RBI_SHORT = {"debriefing": 2}  # generated: two of the asked debriefers never came


def _sections(state: str) -> list[str]:
    return sorted(
        c for c, s in border_selectors.sections_by_code().items() if s.country_id == state
    )


def _operation(
    rng: random.Random,
    host: str,
    title: str,
    submitted: dt.date,
    plan: tuple[dt.date, dt.date],
    plan_ref: str,
    ask: dict[str, int],
    *,
    arrive_by: dt.date,
    short: dict[str, int] | None = None,
    end: bool = False,
    pool: dict[str, list[int]] | None = None,
) -> AssistanceRequest:
    sections = _sections(host)
    req = submit_request(None, host_state=host, title=title, submitted_on=submitted,
                         period_from=plan[0], period_to=plan[1], items=ask,
                         sections=sections, synthetic=True)  # fmt: skip
    advance_request(None, req.pk, RequestStatus.ASSESSED)
    advance_request(None, req.pk, RequestStatus.PLAN_AGREED, plan_reference=plan_ref,
                    plan_from=plan[0], plan_to=plan[1])  # fmt: skip
    span = max(0, (arrive_by - plan[0]).days)
    for rtype, number in ask.items():
        number -= (short or {}).get(rtype, 0)
        reuse = (pool or {}).get(rtype, [])
        fresh = max(0, number - len(reuse))
        ids = reuse[:number]
        if fresh:
            offered = offer_resources(
                None, contributing_state=rng.choice(
                    CONTRIBUTORS_EQ if rtype in ("patrol_car", "helicopter", "fingerprint_scanner",
                                                 "thermal_vehicle", "drone") else CONTRIBUTORS),
                resource_type=rtype, number=fresh, available_from=plan[0] - dt.timedelta(days=7),
                available_to=D(2021, 12, 31), synthetic=True,
            )  # fmt: skip
            ids += [r.pk for r in offered]
        for rid in ids:
            start = plan[0] + dt.timedelta(days=rng.randint(0, span))
            section = rng.choice(sections) if sections and rtype != "registration" else None
            deploy(None, req.pk, resource_id=rid, starts_on=start, ends_on=plan[1],
                   section=section, synthetic=True)  # fmt: skip
        if pool is not None:
            pool[rtype] = ids
    advance_request(None, req.pk, RequestStatus.DEPLOYED)
    if end:
        advance_request(None, req.pk, RequestStatus.ENDED)
    return req


@transaction.atomic
def load_scenario_support(seed: int) -> dict[str, int]:
    """Requests, deployments, funding and aid of summer 2021; returns counts for the summary."""
    rng = random.Random(seed + 14)
    pool: dict[str, list[int]] = {}
    _operation(rng, "LT", "Operational support to Lithuania (joint operation)", D(2021, 7, 1),
               (D(2021, 7, 9), D(2021, 7, 29)), "JO-LT-2021-1 (synthetic)",
               {**JO_LT, "fingerprint_scanner": 4}, arrive_by=D(2021, 7, 26), end=True,
               pool=pool)  # fmt: skip
    _operation(rng, "LV", "Operational support to Latvia (joint operation)", D(2021, 7, 14),
               (D(2021, 7, 20), D(2021, 11, 30)), "JO-LV-2021-1 (synthetic)", JO_LV,
               arrive_by=D(2021, 7, 28))  # fmt: skip
    _operation(rng, "LT", "Rapid border intervention in Lithuania", D(2021, 7, 20),
               (D(2021, 7, 30), D(2021, 11, 30)), "RBI-LT-2021", RBI_ASK,
               arrive_by=D(2021, 8, 6), short=RBI_SHORT, pool=pool)  # fmt: skip
    offer = offer_funding(None, beneficiary_state="LT", instrument="amif_ea",
                          title="Urgent reception and asylum processing needs",
                          amount=Decimal("12000000.00"), offered_on=D(2021, 7, 28),
                          source=SOURCE_LETTER, synthetic=True)  # fmt: skip
    award_funding(None, offer.pk, amount=Decimal("36700000.00"), awarded_on=D(2021, 8, 11))
    shares = {"reception": Decimal("0.55"), "asylum": Decimal("0.15"),
              "surveillance": Decimal("0.20"), "returns": Decimal("0.10")}  # fmt: skip
    awarded = Decimal("36700000.00")
    for measure, share in shares.items():
        allocate(None, offer.pk, measure=measure, amount=(awarded * share).quantize(Decimal("1")),
                 on=D(2021, 8, 20))  # fmt: skip
        spent = (awarded * share * Decimal(rng.randint(35, 80)) / 100).quantize(Decimal("0.01"))
        pay(None, offer.pk, measure=measure, amount=spent, on=D(2021, 11, 30),
            note="Synthetic payment")  # fmt: skip
    aid_rows = 0
    for item, contributors in (("tents", ["EE", "PL", "SE"]), ("beds", ["FR", "AT", "CZ"]),
                               ("generators", ["DE", "EE"]), ("heaters", ["FI", "SK"])):  # fmt: skip
        for state in contributors:
            qty = rng.randint(2, 30) * (10 if item in ("beds", "heaters") else 1)
            aid = offer_aid(None, beneficiary_state="LT", contributing_state=state, item=item,
                            quantity=qty, offered_on=D(2021, 7, 15), synthetic=True)  # fmt: skip
            deliver_aid(None, aid.pk, quantity=qty - rng.randint(0, qty // 4),
                        on=D(2021, 7, 15) + dt.timedelta(days=rng.randint(3, 20)))  # fmt: skip
            aid_rows += 1
    counts = {
        "assistance_requests": AssistanceRequest.objects.filter(synthetic=True).count(),
        "deployments": Deployment.objects.filter(synthetic=True).count(),
        "funding_decisions": 1,
        "aid_in_kind": aid_rows,
    }
    audit.record(None, Action.SUPPORT_SCENARIO, new=counts)
    return counts


@transaction.atomic
def remove_synthetic_support() -> int:
    """Remove the scenario's support rows (deployments first: they protect their resources)."""
    Deployment.objects.filter(synthetic=True).update(rotation_of=None)
    removed = Deployment.objects.filter(synthetic=True).delete()[0]
    AssistanceRequest.objects.filter(synthetic=True).delete()
    Resource.objects.filter(synthetic=True, deployments__isnull=True).delete()
    FundingDecision.objects.filter(synthetic=True).delete()
    InKindAid.objects.filter(synthetic=True).delete()
    audit.record(None, Action.SUPPORT_REMOVE_SYNTHETIC, old={"deployments": removed})
    return removed
