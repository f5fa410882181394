"""News engine: claims extracted from press reports, each with its character span.

Framework-free (spaCy with rules only, dateparser, word2number, pycountry; no Django): the
news app stores what `extract` returns and puts each claim to an analyst for review.
"""

from borderwatch.engines.news.dates import local_day, resolve_dates
from borderwatch.engines.news.extract import extract
from borderwatch.engines.news.model import (
    COUNT_KINDS,
    Claim,
    ClaimKind,
    Extraction,
    NewsError,
    ResolvedDate,
    Span,
)
from borderwatch.engines.news.numbers import find_numbers, parse_number
from borderwatch.engines.news.places import EU_MEMBER_STATES, country_name

__all__ = [
    "COUNT_KINDS",
    "EU_MEMBER_STATES",
    "Claim",
    "ClaimKind",
    "Extraction",
    "NewsError",
    "ResolvedDate",
    "Span",
    "country_name",
    "extract",
    "find_numbers",
    "local_day",
    "parse_number",
    "resolve_dates",
]
