"""A synthetic population with known duplicates, for the linkage benchmark and tests.

Framework-free and seeded (the same arguments give the same records). Each *identity* (a real
person) gets canonical names drawn by nationality, a date of birth, a sex and sometimes a
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
_ARAB_MALE = ["Mohammed", "Ahmed", "Ali", "Hussein", "Hassan", "Omar", "Khaled", "Yousef",
              "Mahmoud", "Ibrahim", "Mustafa", "Abdulrahman", "Abdullah", "Saeed", "Karim",
              "Tariq", "Bilal", "Hamza", "Jamal", "Nasser", "Rami", "Sami", "Walid", "Ziad",
              "Adnan", "Bashar", "Fadi", "Ghassan", "Hisham", "Imad", "Majid", "Marwan",
              "Nabil", "Qasim", "Rashid", "Salim", "Talal", "Wael", "Yasser", "Zaid"]  # fmt: skip
_ARAB_FEMALE = ["Fatima", "Aisha", "Maryam", "Zainab", "Noor", "Layla", "Huda", "Rania",
                "Salma", "Amal", "Dina", "Hana", "Lina", "Rasha", "Sara", "Yasmin", "Samira",
                "Nadia", "Reem", "Suha"]  # fmt: skip
_ARAB_FAMILY = ["Hassan", "Hussein", "Ali", "Ahmed", "Ibrahim", "Mahmoud", "Khalil", "Saleh",
                "Mansour", "Haddad", "Najjar", "Khoury", "Shami", "Masri", "Halabi", "Tamimi",
                "Jaber", "Qasim", "Obeid", "Darwish", "Hamdan", "Rahman", "Karim", "Yassin",
                "Bakr", "Nasser", "Saadi", "Zaidi", "Kurdi", "Jubouri", "Dulaimi", "Shammari",
                "Obaidi", "Rubaie", "Tikriti", "Hashimi", "Musawi", "Hakim", "Jaafari",
                "Hamadi", "Sultan", "Othman", "Suleiman", "Awad", "Barakat", "Fakhoury",
                "Ghanem", "Habib", "Issa", "Jamil", "Kassem", "Latif", "Maalouf", "Nassar",
                "Rashed", "Sabbagh", "Taha", "Wahab", "Yousef", "Zaher", "Abbas", "Asaad",
                "Bitar", "Chami", "Daher", "Farah", "Ghazal", "Hijazi", "Idris", "Jalil",
                "Kanaan", "Lahham", "Murad", "Nouri", "Qadri", "Rifai", "Salameh", "Tawil",
                "Homsi", "Zoubi", "Attar", "Bayati", "Dabbagh", "Hilli", "Khafaji", "Lami",
                "Maliki", "Numan", "Quraishi", "Safi", "Taie", "Ubaid", "Waeli", "Yasiri"]  # fmt: skip
_AF_MALE = ["Ahmad", "Mohammad", "Abdul", "Ghulam", "Hamid", "Jawad", "Karim", "Mirwais",
            "Najib", "Rahim", "Sayed", "Wahid", "Zabihullah", "Farid", "Habib", "Nasir",
            "Omid", "Qais", "Shafiq", "Yama", "Bashir", "Dawood", "Faisal", "Javed"]  # fmt: skip
_AF_FEMALE = ["Fatima", "Zahra", "Mariam", "Parwana", "Shabnam", "Nargis", "Roya", "Sima",
              "Farzana", "Laila", "Mursal", "Nilofar"]  # fmt: skip
_AF_FAMILY = ["Ahmadi", "Hakimi", "Karimi", "Rahimi", "Sultani", "Hashimi", "Haidari",
              "Mohammadi", "Noori", "Popal", "Durrani", "Ghani", "Wardak", "Stanekzai",
              "Yousufzai", "Safi", "Sadat", "Hussaini", "Rezaei", "Jalali", "Amiri", "Azizi",
              "Barakzai", "Habibi", "Kakar", "Mangal", "Niazi", "Qaderi", "Samadi", "Zazai",
              "Akbari", "Baheer", "Faizi", "Jawadi", "Mansoori", "Nazari", "Omari", "Rasuli",
              "Sharifi", "Taheri"]  # fmt: skip
_WA_MALE = ["Jean", "Pierre", "Emmanuel", "Joseph", "Patrick", "Blaise", "Christian",
            "Didier", "Eric", "Fabrice", "Herve", "Junior", "Landry", "Olivier", "Serge",
            "Thierry", "Yannick", "Arnaud"]  # fmt: skip
_WA_FEMALE = ["Marie", "Grace", "Esther", "Florence", "Josiane", "Nadege", "Prisca", "Sandrine",
              "Vanessa", "Christelle"]  # fmt: skip
_WA_FAMILY = ["Mbarga", "Nkongho", "Fotso", "Tchoupo", "Kamga", "Ngono", "Mballa", "Eto",
              "Biya", "Kalala", "Mukendi", "Tshibanda", "Ilunga", "Kabongo", "Lumumba",
              "Mutombo", "Nzeza", "Kasongo", "Mbuyi", "Tshisekedi", "Atangana", "Essomba",
              "Fouda", "Ndongo", "Owona", "Tabi", "Abena", "Ayissi", "Bella", "Ekane"]  # fmt: skip
# nationality: (weight, male names, female names, family names, uses Arabic prefixes/script)
_NATIONALITIES: dict[str, tuple[float, list[str], list[str], list[str], bool]] = {
    "IQ": (0.34, _ARAB_MALE, _ARAB_FEMALE, _ARAB_FAMILY, True),
    "SY": (0.22, _ARAB_MALE, _ARAB_FEMALE, _ARAB_FAMILY, True),
    "YE": (0.06, _ARAB_MALE, _ARAB_FEMALE, _ARAB_FAMILY, True),
    "AF": (0.20, _AF_MALE, _AF_FEMALE, _AF_FAMILY, False),
    "CM": (0.10, _WA_MALE, _WA_FEMALE, _WA_FAMILY, False),
    "CD": (0.08, _WA_MALE, _WA_FEMALE, _WA_FAMILY, False),
}
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
    family_prefix: float = 0.35  # Arabic family names that carry al-/el- in some form
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
    given: str
    family: str
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
    nat = _pick(rng, {k: v[0] for k, v in _NATIONALITIES.items()})
    _, male, female, family, arabic = _NATIONALITIES[nat]
    sex = "M" if rng.random() < 0.72 else "F"
    today = dt.date(2025, 1, 1)
    age = min(70, max(0, int(rng.gauss(27, 11))))
    born = today - dt.timedelta(days=age * 365 + rng.randrange(365))
    prefix = "al-" if arabic and rng.random() < noise.family_prefix else ""
    doc = ""
    if rng.random() < noise.has_document:
        doc = f"{nat}{rng.randrange(10**7):07d}"
    return _Identity(
        key=key,
        nationality=nat,
        sex=sex,
        given=rng.choice(male if sex == "M" else female),
        family=rng.choice(family),
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
    given = _spell(rng, ident.given, noise)
    family = _spell(rng, ident.family, noise)
    if ident.family_prefix:
        prefix = ident.family_prefix
        if rng.random() < noise.prefix_rendering_changes:
            prefix = rng.choice(_PREFIXES)
        family = prefix + family
    if rng.random() < noise.arabic_script and ident.given in ARABIC_SCRIPT:
        given = ARABIC_SCRIPT[ident.given]
        family = ARABIC_SCRIPT.get(ident.family, family)
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
