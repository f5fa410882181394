"""Each claim type from short sentences, and the date rules, against a known publication day."""

import datetime as dt

import pytest

from borderwatch.engines.news import (
    Claim,
    ClaimKind,
    NewsError,
    extract,
    parse_number,
    resolve_dates,
)

TZ = "Europe/Vilnius"


def claims(text: str, day: dt.date, kind: ClaimKind | None = None) -> list[Claim]:
    found = extract(text, day, TZ).claims
    return [c for c in found if kind is None or c.kind == kind]


def one(text: str, day: dt.date, kind: ClaimKind) -> Claim:
    found = claims(text, day, kind)
    assert len(found) == 1, found
    return found[0]


THU = dt.date(2021, 7, 29)
TUE_AUG10 = dt.date(2021, 8, 10)


def test_detained_count_with_state_day_and_span() -> None:
    text = "Lithuania's border guard detained 171 people on Tuesday night."
    c = one(text, THU, ClaimKind.DETAINED)
    assert (c.count, c.state) == (171, "LT")
    assert c.date is not None and c.date.start == c.date.end == dt.date(2021, 7, 27)
    assert "Tuesday" in c.date.rule and "2021-07-29" in c.date.rule
    assert text[c.span.start : c.span.end] == "171 people"
    assert c.placed


def test_apprehended_with_nationality_and_since_period() -> None:
    c = one(
        "Latvian border guards apprehended 40 Iraqi migrants since Friday.",
        dt.date(2021, 8, 9),
        ClaimKind.APPREHENDED,
    )
    assert (c.count, c.state, c.values["nationality"]) == (40, "LV", "IQ")
    assert c.date is not None and (c.date.start, c.date.end) == (
        dt.date(2021, 8, 6),
        dt.date(2021, 8, 9),
    )


def test_prevented_in_the_past_24_hours() -> None:
    c = one(
        "Lithuania turned back 180 migrants in the past 24 hours.",
        dt.date(2021, 8, 4),
        ClaimKind.PREVENTED,
    )
    assert (c.count, c.state) == (180, "LT")
    assert c.date is not None and (c.date.start, c.date.end) == (
        dt.date(2021, 8, 3),
        dt.date(2021, 8, 4),
    )


def test_crossing_count() -> None:
    c = one("On Monday 60 people crossed into Poland.", TUE_AUG10, ClaimKind.CROSSING)
    assert (c.count, c.state, c.date.start if c.date else None) == (60, "PL", dt.date(2021, 8, 9))


def test_origin_is_not_the_state_and_number_words_count() -> None:
    c = one(
        "Polish guards detained forty-two migrants from Belarus yesterday.",
        TUE_AUG10,
        ClaimKind.DETAINED,
    )
    assert (c.count, c.state) == (42, "PL")


def test_claim_without_state_is_unplaced_not_guessed() -> None:
    c = one("Border guards detained 50 people on Monday.", TUE_AUG10, ClaimKind.DETAINED)
    assert c.state is None and not c.placed
    assert c.unplaced_reason == "no state"


def test_claim_without_day_is_unplaced() -> None:
    c = one("Lithuania has detained 50 people.", TUE_AUG10, ClaimKind.DETAINED)
    assert c.date is None and c.unplaced_reason == "no day"


def test_total_and_record_follow_the_count() -> None:
    text = (
        "Lithuania's border guard detained 171 people on Tuesday night, the largest number in a "
        "single day this year. It brought the total number detained so far this year to 3,027."
    )
    total = one(text, THU, ClaimKind.TOTAL)
    assert (total.count, total.state) == (3027, "LT")
    assert total.date is not None and (total.date.start, total.date.end) == (
        dt.date(2021, 1, 1),
        dt.date(2021, 7, 27),
    )
    record = one(text, THU, ClaimKind.RECORD)
    assert (record.count, record.state) == (171, "LT")
    assert record.date is not None and record.date.start == dt.date(2021, 7, 27)


def test_nationality_from_the_next_sentence() -> None:
    text = "Lithuania detained 171 people on Tuesday. The migrants, all from Iraq, were placed in centres."
    c = one(text, THU, ClaimKind.DETAINED)
    assert c.values["nationality"] == "IQ"
    assert text[c.evidence["nationality"].start : c.evidence["nationality"].end] == "Iraq"


def test_deployments_with_elided_unit_and_equipment() -> None:
    text = "Frontex has now deployed 35 officers to Lithuania and four to Latvia. Frontex is also providing equipment, including fingerprint scanners."
    deps = claims(text, THU, ClaimKind.DEPLOYMENT)
    assert [(d.count, d.state, d.values["unit"], d.values["by"]) for d in deps[:2]] == [
        (35, "LT", "officers", "Frontex"),
        (4, "LV", "officers", "Frontex"),
    ]
    assert deps[2].values["items"] == "fingerprint scanners" and deps[2].state is None


def test_deployment_of_vehicles_shares_the_host() -> None:
    deps = claims(
        "Frontex sent 30 patrol cars and 2 helicopters to Lithuania.", THU, ClaimKind.DEPLOYMENT
    )
    assert [(d.count, d.values["unit"], d.state) for d in deps] == [
        (30, "patrol cars", "LT"),
        (2, "helicopters", "LT"),
    ]


def test_funding_with_equivalent_and_purpose() -> None:
    c = one(
        "The commission stands ready to provide 12 million euros ($14.3 million) to help meet urgent reception needs in Lithuania.",
        THU,
        ClaimKind.FUNDING,
    )
    assert (c.values["amount"], c.values["currency"], c.values["equivalent"]) == (
        12_000_000.0,
        "EUR",
        "USD 14,300,000",
    )
    assert c.values["purpose"] == "urgent reception needs in Lithuania"
    assert (c.state, c.values["by"]) == ("LT", "European Commission")


def test_flight_route_frequency_capacity() -> None:
    c = one(
        "Most traveled to Minsk on one of the four weekly flights from Iraq, which carry up to 500 passengers each.",
        THU,
        ClaimKind.FLIGHT,
    )
    assert (
        c.values["per_week"],
        c.values["capacity"],
        c.values["origin"],
        c.values["destination"],
    ) == (4, 500, "IQ", "BY")


def test_flight_suspension() -> None:
    c = one(
        "Iraqi Airways suspended its flights to Minsk on Thursday.",
        dt.date(2021, 8, 6),
        ClaimKind.FLIGHT_SUSPENSION,
    )
    assert (c.values["by"], c.values["destination"], c.state) == ("Iraqi Airways", "BY", "IQ")
    assert c.date is not None and c.date.start == dt.date(2021, 8, 5)


def test_state_of_emergency() -> None:
    c = one(
        "On Tuesday, Latvia declared a state of emergency on its border with Belarus.",
        dt.date(2021, 8, 11),
        ClaimKind.EMERGENCY,
    )
    assert (c.state, c.values["action"], c.values["border_with"]) == ("LV", "declared", "Belarus")
    assert c.date is not None and c.date.start == dt.date(2021, 8, 10)


def test_fence() -> None:
    c = one(
        "Latvia announced it will build a 134 km fence on the border.",
        dt.date(2021, 8, 11),
        ClaimKind.FENCE,
    )
    assert (c.state, c.values["length_km"]) == ("LV", 134.0)


def test_counted_return_and_return_policy() -> None:
    r = one(
        "Lithuania returned 98 Iraqis to Iraq on Sunday.", dt.date(2022, 1, 3), ClaimKind.RETURN
    )
    assert (r.count, r.state, r.values["destination"]) == (98, "LT", "IQ")
    p = one(
        "Denmark, Germany and Greece asked that returns of rejected Afghan asylum seekers continue.",
        TUE_AUG10,
        ClaimKind.RETURN_POLICY,
    )
    assert (p.values["country"], p.values["by"], p.values["stance"]) == (
        "AF",
        "DK,DE,GR",
        "continue",
    )


def test_readmission_statement() -> None:
    p = one(
        "The EU asked Iraq to readmit Iraqi nationals who have no right to protection.",
        THU,
        ClaimKind.RETURN_POLICY,
    )
    assert (p.values["topic"], p.values["country"]) == ("readmission", "IQ")


@pytest.mark.parametrize(
    ("phrase", "first", "last"),
    [
        ("on Tuesday night", dt.date(2021, 8, 10), dt.date(2021, 8, 10)),
        ("since Friday", dt.date(2021, 8, 6), dt.date(2021, 8, 10)),
        ("from Friday to Monday", dt.date(2021, 8, 6), dt.date(2021, 8, 9)),
        ("in the past 24 hours", dt.date(2021, 8, 9), dt.date(2021, 8, 10)),
        ("over the weekend", dt.date(2021, 8, 7), dt.date(2021, 8, 8)),
        ("yesterday", dt.date(2021, 8, 9), dt.date(2021, 8, 9)),
        ("on 1-2 August", dt.date(2021, 8, 1), dt.date(2021, 8, 2)),
        ("on Aug. 5", dt.date(2021, 8, 5), dt.date(2021, 8, 5)),
        ("so far this year", dt.date(2021, 1, 1), dt.date(2021, 8, 10)),
        ("last August", dt.date(2020, 8, 1), dt.date(2020, 8, 31)),
    ],
)
def test_relative_dates(phrase: str, first: dt.date, last: dt.date) -> None:
    (found,) = resolve_dates(phrase, TUE_AUG10, TZ)
    assert (found.start, found.end) == (first, last)
    assert found.rule


def test_publication_time_converted_to_the_article_zone() -> None:
    # 22:30 UTC on Monday is already Tuesday in Vilnius: "yesterday" is then Monday
    published = dt.datetime(2021, 8, 9, 22, 30, tzinfo=dt.UTC)
    (found,) = resolve_dates("yesterday", published, TZ)
    assert found.start == dt.date(2021, 8, 9)
    (utc,) = resolve_dates("yesterday", published, "UTC")
    assert utc.start == dt.date(2021, 8, 8)


def test_bad_input() -> None:
    with pytest.raises(NewsError, match="no text"):
        extract("  ", THU, TZ)
    with pytest.raises(NewsError, match="time zone"):
        extract("text", THU, "Mars/Base")
    assert (
        parse_number("3,027") == 3027 and parse_number("twelve") == 12 and parse_number("x") is None
    )
