"""A synthetic population with known duplicates, for the linkage benchmark and tests.

Framework-free and seeded (the same arguments give the same records). Each *identity* (a real
person) gets canonical names drawn by nationality and naming tradition (`synthetic_names`: long-
tailed, formed as each tradition forms them), a date of birth, a sex and sometimes a
document; each of its *records* (a registration in a member state) renders that identity through
the noise model below. Two records of one identity are a true pair; nothing else is. The noise
model and its rates are documented in docs/linkage.md; `NoiseModel` holds them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field

from borderwatch.engines.linkage.records import PersonRecord
from borderwatch.engines.linkage.synthetic_names import NAME_MODEL

__all__ = ["SPELLINGS", "NoiseModel", "Population", "generate"]

# Latin spellings met in registrations (first spelling = canonical). Mohammed has 24.
SPELLINGS: dict[str, list[str]] = {
    "Mohammed": [
        "Mohammed", "Muhammad", "Mohamad", "Mohamed", "Mohammad", "Muhammed", "Mohamud",
        "Mohammod", "Muhamad", "Mouhamad", "Mouhammed", "Mohamet", "Muhamed", "Mohmmad",
        "Mohummad", "Muhammet", "Mahomed", "Mohammud", "Mukhammad", "Mouhamed", "Mohamood",
        "Muhamad", "Mohd", "Mhammed",
    ],
    "Ahmed": ["Ahmed", "Ahmad", "Ahmet", "Achmed", "Ahmid", "Akhmed", "Ahmmed"],
    "Ali": ["Ali", "Aly", "Alee", "Aliy"],
    "Hussein": ["Hussein", "Hussain", "Husein", "Hossein", "Husain", "Houssein", "Hüseyin"],
    "Hassan": ["Hassan", "Hasan", "Hassen", "Hasen", "Hassane"],
    "Omar": ["Omar", "Umar", "Omer", "Oumar", "Ömer"],
    "Khaled": ["Khaled", "Khalid", "Khaleed", "Chaled", "Haled", "Khalled"],
    "Yousef": ["Yousef", "Youssef", "Yusuf", "Yosef", "Yousif", "Yussuf", "Jusuf", "Youcef"],
    "Mahmoud": ["Mahmoud", "Mahmud", "Mahmood", "Mahmut", "Mahmod"],
    "Ibrahim": ["Ibrahim", "Ebrahim", "Ibraheem", "Ibrahem", "Brahim"],
    "Mustafa": ["Mustafa", "Moustafa", "Mostafa", "Mustapha", "Moustapha"],
    "Abdulrahman": [
        "Abd al-Rahman", "Abdul Rahman", "Abdulrahman", "Abdelrahman", "Abdurrahman",
        "Abd el-Rahman", "Abdul-Rahman",
    ],
    "Abdullah": ["Abdullah", "Abdallah", "Abd Allah", "Abdulla", "Abdellah"],
    "Saeed": ["Saeed", "Said", "Saied", "Sayed", "Saïd"],
    "Karim": ["Karim", "Kareem", "Kerim", "Karem"],
    "Fatima": ["Fatima", "Fatma", "Fatimah", "Fatime", "Fatouma"],
    "Aisha": ["Aisha", "Aysha", "Aicha", "Ayesha", "Aischa"],
    "Maryam": ["Maryam", "Mariam", "Meryem", "Miriam", "Mariyam"],
    "Zainab": ["Zainab", "Zaynab", "Zeinab", "Zeynep"],
    "Noor": ["Noor", "Nour", "Nur", "Nure"],
}  # fmt: skip
ARABIC_SCRIPT = {
    "Mohammed": "محمد", "Ahmed": "أحمد", "Ali": "علي", "Hussein": "حسين", "Hassan": "حسن",
    "Omar": "عمر", "Khaled": "خالد", "Yousef": "يوسف", "Mahmoud": "محمود", "Ibrahim": "إبراهيم",
    "Abdulrahman": "عبد الرحمن", "Abdullah": "عبد الله", "Fatima": "فاطمة", "Maryam": "مريم",
}  # fmt: skip
# nationality: share of identities (naming traditions per nationality in synthetic_names)
_NATIONALITIES: dict[str, float] = {
    "IQ": 0.32, "SY": 0.21, "AF": 0.20, "IR": 0.05, "CM": 0.10, "CD": 0.07, "YE": 0.05,
}  # fmt: skip
_STATES = {"LT": 0.40, "PL": 0.45, "LV": 0.15}
_PLACES = {s: [f"{s}-{i:02d}" for i in range(1, 13)] for s in _STATES}
_PREFIXES = ["al-", "Al-", "Al ", "el-", "El ", "Al", ""]


@dataclass(frozen=True)
class NoiseModel:
    """Rates of each kind of noise, per record (see docs/linkage.md)."""

    within_state_duplicate: float = 0.10  # identities registered twice in one state
    cross_state_duplicate: float = 0.15  # identities registered again in another state
    third_record: float = 0.03  # identities with one more record anywhere
    other_spelling: float = 0.60  # a name part drawn again from its spellings
    prefix_rendering_changes: float = 0.50  # the prefix written otherwise (or dropped)
    arabic_script: float = 0.08  # the name written in Arabic script only
    swapped_order: float = 0.05  # given and family names swapped
    typing_error: float = 0.08  # one letter inserted, dropped, replaced or transposed
    given_missing: float = 0.02
    year_only_dob: float = 0.15  # estimated age: only the year recorded
    dob_day_month_swapped: float = 0.03
    dob_digit_error: float = 0.02
    dob_year_off_by_one: float = 0.03
    dob_missing: float = 0.02
    sex_missing: float = 0.02
    other_nationality: float = 0.04  # a different nationality claimed
    has_document: float = 0.35  # identities holding an identity document
    document_shown: float = 0.60  # records where the document was shown (if held)
    document_typo: float = 0.02


@dataclass
class Population:
    """Records and, for each, the identity it renders (the ground truth)."""

    records: list[PersonRecord]
    identity: dict[str, int]
    noise: NoiseModel = field(default_factory=NoiseModel)

    def true_pairs(self) -> set[tuple[str, str]]:
        """Every pair of records of one identity, (smaller id, larger id)."""
        by_identity: dict[int, list[str]] = {}
        for uid, ident in self.identity.items():
            by_identity.setdefault(ident, []).append(uid)
        pairs: set[tuple[str, str]] = set()
        for uids in by_identity.values():
            for a, b in itertools.combinations(sorted(uids), 2):
                pairs.add((a, b))
        return pairs


@dataclass(frozen=True)
class _Identity:
    key: int
    nationality: str
    sex: str
    given: tuple[str, ...]  # canonical parts (keys of SPELLINGS are respelt)
    family: tuple[str, ...]
    family_prefix: str
    born: dt.date
    document: str


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _spell(rng: random.Random, canonical: str, noise: NoiseModel) -> str:
    spellings = SPELLINGS.get(canonical)
    if not spellings or rng.random() >= noise.other_spelling:
        return spellings[0] if spellings else canonical
    return rng.choice(spellings)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letter = rng.choice(string.ascii_lowercase)
    if kind == 0:
        return word[:i] + letter + word[i:]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + letter + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _identity(rng: random.Random, key: int, noise: NoiseModel) -> _Identity:
    nat = _pick(rng, _NATIONALITIES)
    tradition = NAME_MODEL.tradition(rng, nat)
    sex = "M" if rng.random() < 0.72 else "F"
    given = tradition.given(rng, sex)
    family, article = tradition.family_name(rng)
    today = dt.date(2025, 1, 1)
    age = min(70, max(0, int(rng.gauss(27, 11))))
    born = today - dt.timedelta(days=age * 365 + rng.randrange(365))
    prefix = "al-" if article else ""
    doc = ""
    if rng.random() < noise.has_document:
        doc = f"{nat}{rng.randrange(10**7):07d}"
    return _Identity(
        key=key,
        nationality=nat,
        sex=sex,
        given=given,
        family=family,
        family_prefix=prefix,
        born=born,
        document=doc,
    )


def _render(
    rng: random.Random,
    ident: _Identity,
    uid: str,
    state: str,
    place: str,
    when: dt.date,
    noise: NoiseModel,
) -> PersonRecord:
    given = " ".join(_spell(rng, part, noise) for part in ident.given)
    family = " ".join(_spell(rng, part, noise) for part in ident.family)
    if ident.family_prefix:
        prefix = ident.family_prefix
        if rng.random() < noise.prefix_rendering_changes:
            prefix = rng.choice(_PREFIXES)
        family = prefix + family
    if rng.random() < noise.arabic_script and all(p in ARABIC_SCRIPT for p in ident.given):
        given = " ".join(ARABIC_SCRIPT[p] for p in ident.given)
        if all(p in ARABIC_SCRIPT for p in ident.family):
            family = " ".join(ARABIC_SCRIPT[p] for p in ident.family)
    if rng.random() < noise.typing_error:
        if rng.random() < 0.5:
            given = _typo(rng, given)
        else:
            family = _typo(rng, family)
    if rng.random() < noise.swapped_order:
        given, family = family, given
    if rng.random() < noise.given_missing:
        given = ""
    born: dt.date | None = ident.born
    year_only = False
    r = rng.random()
    if r < noise.dob_missing:
        born = None
    elif r < noise.dob_missing + noise.year_only_dob:
        born, year_only = dt.date(ident.born.year, 1, 1), True
    elif r < noise.dob_missing + noise.year_only_dob + noise.dob_day_month_swapped:
        if ident.born.day <= 12:
            born = dt.date(ident.born.year, ident.born.day, ident.born.month)
    elif r < (
        noise.dob_missing
        + noise.year_only_dob
        + noise.dob_day_month_swapped
        + noise.dob_digit_error
    ):
        day = ident.born.day
        born = ident.born.replace(day=(day % 9) + 1 if day < 10 else day - 10 or 1)
    elif r < (
        noise.dob_missing
        + noise.year_only_dob
        + noise.dob_day_month_swapped
        + noise.dob_digit_error
        + noise.dob_year_off_by_one
    ):
        # an age estimated a year out: only the (wrong) year is recorded
        born, year_only = dt.date(ident.born.year + rng.choice((-1, 1)), 1, 1), True
    nat = ident.nationality
    if rng.random() < noise.other_nationality:
        nat = rng.choice([n for n in _NATIONALITIES if n != nat])
    doc = ident.document if rng.random() < noise.document_shown else ""
    if doc and rng.random() < noise.document_typo:
        doc = _typo(rng, doc)
    return PersonRecord(
        uid=uid,
        state=state,
        given_name=given,
        family_name=family,
        date_of_birth=born,
        birth_year_only=year_only,
        sex="" if rng.random() < noise.sex_missing else ident.sex,
        nationality=nat,
        document=doc,
        apprehension_place=place,
        apprehension_date=when,
    )


def _records_of(rng: random.Random, noise: NoiseModel) -> Iterator[str]:
    """The states of one identity's records: the first, then duplicates at the model's rates."""
    first = _pick(rng, _STATES)
    yield first
    if rng.random() < noise.within_state_duplicate:
        yield first
    if rng.random() < noise.cross_state_duplicate:
        yield rng.choice([s for s in _STATES if s != first])
    if rng.random() < noise.third_record:
        yield _pick(rng, _STATES)


def generate(records: int, seed: int = 17, noise: NoiseModel | None = None) -> Population:
    """About `records` records (exactly that many: the last identity may be cut short)."""
    if records < 0:
        raise ValueError("records must be >= 0")
    noise = noise or NoiseModel()
    rng = random.Random(seed)
    out: list[PersonRecord] = []
    identity: dict[str, int] = {}
    start = dt.date(2021, 7, 1)
    key = 0
    while len(out) < records:
        ident = _identity(rng, key, noise)
        when = start + dt.timedelta(days=rng.randrange(1200))
        previous_state = ""
        place = ""
        for state in _records_of(rng, noise):
            if len(out) >= records:
                break
            if state == previous_state and rng.random() < 0.5:
                when = when + dt.timedelta(days=rng.randrange(2))  # registered twice at once
            else:
                place = rng.choice(_PLACES[state])
                when = when + dt.timedelta(days=rng.randrange(1, 120))
            uid = f"r{len(out):07d}"
            out.append(_render(rng, ident, uid, state, place, when, noise))
            identity[uid] = key
            previous_state = state
        key += 1
    return Population(records=out, identity=identity, noise=noise)
