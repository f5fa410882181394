"""The synthetic population's names: per tradition, long-tailed, with the noise model kept."""

import collections

from borderwatch.engines.linkage import generate
from borderwatch.engines.linkage.synthetic import SPELLINGS
from borderwatch.engines.linkage.synthetic_names import NAME_MODEL, Zipf, tradition_of


def test_every_nationality_has_its_traditions_with_hundreds_of_family_names() -> None:
    assert set(NAME_MODEL.traditions) == {"IQ", "SY", "YE", "AF", "IR", "CM", "CD"}
    for nationality, options in NAME_MODEL.traditions.items():
        assert abs(sum(share for _, share in options) - 1) < 1e-9
        for tradition, _ in options:
            lists = [source for source, _, _ in tradition.family if isinstance(source, Zipf)]
            chains = [source for source, _, _ in tradition.family if isinstance(source, str)]
            # a listed family name, or the patronymic chain over the male given names
            distinct = sum(len(z) for z in lists) + (len(tradition.male) if chains else 0)
            assert distinct >= 200, (nationality, tradition.code, distinct)
            assert len(tradition.male) >= 60 and len(tradition.female) >= 40


def test_family_names_are_formed_as_each_tradition_forms_them() -> None:
    persian = {n[0] for n in tradition_of("persian").family[0][0].names}  # type: ignore[union-attr]
    assert {"Hosseini", "Alizadeh", "Rezapour", "Tabrizi"} <= persian
    pashtun = {n[0] for n in tradition_of("pashto").family[0][0].names}  # type: ignore[union-attr]
    assert {"Ahmadzai", "Sulaimankhel", "Wardak"} <= pashtun
    iraqi = {n[0] for n in tradition_of("arabic-iq").family[0][0].names}  # type: ignore[union-attr]
    assert {"Jubouri", "Baghdadi", "Mosuli"} <= iraqi
    afghan_given = {" ".join(n) for n in tradition_of("dari").male.names}
    assert {"Abdul Rahim", "Zabihullah", "Ghulam Sakhi", "Nasiruddin"} <= afghan_given


def test_name_frequencies_are_long_tailed() -> None:
    for code in ("arabic-iq", "kurdish", "persian", "dari", "congo"):
        tradition = tradition_of(code)
        for zipf in (tradition.male, *(s for s, _, _ in tradition.family if isinstance(s, Zipf))):
            p = zipf.probabilities
            assert p == sorted(p, reverse=True)
            assert p[0] > 5 * p[-1]  # the head is common, the tail rare
            head = sum(p[: max(1, len(p) // 10)])
            assert head > 0.2  # a tenth of the names carry at least a fifth of the people
    # surname lists are flattened: no single surname holds more than a few per cent
    persian = tradition_of("persian").family[0][0]
    assert isinstance(persian, Zipf) and persian.probabilities[0] < 0.05


def test_the_most_common_given_name_is_a_mohammed_variant_and_spellings_remain() -> None:
    population = generate(5000, seed=11)
    counts = collections.Counter(
        r.given_name.split()[0] for r in population.records if r.given_name and r.sex == "M"
    )
    mohammed = set(SPELLINGS["Mohammed"]) | {"Mohammad", "محمد"}
    top, _ = counts.most_common(1)[0]
    assert top in mohammed
    written = {r.given_name.split()[0] for r in population.records if r.given_name}
    assert len(written & set(SPELLINGS["Mohammed"])) >= 15  # the spellings are still drawn
    assert any(r.family_name.lower().startswith(("al-", "el-", "al ")) for r in population.records)
    assert any("محمد" in r.given_name for r in population.records)  # Arabic script


def test_family_names_are_many_and_rare_in_a_large_population() -> None:
    population = generate(20000, seed=2)
    families = collections.Counter(r.family_name for r in population.records if r.family_name)
    assert len(families) > 2000
    top_share = families.most_common(1)[0][1] / sum(families.values())
    assert top_share < 0.05
    singletons = sum(1 for c in families.values() if c == 1)
    assert singletons > len(families) / 3  # the long tail


def test_the_generator_stays_seeded_across_traditions() -> None:
    a, b = generate(3000, seed=4), generate(3000, seed=4)
    assert a.records == b.records
    assert a.identity == b.identity
    assert {r.nationality for r in a.records} >= {"IQ", "SY", "AF", "IR", "CM", "CD", "YE"}
