"""Name normalisation: scripts, spellings, prefixes and order made comparable."""

import pytest

from borderwatch.engines.linkage import latin_parts, name_keys, skeleton
from borderwatch.engines.linkage.synthetic import SPELLINGS


def test_at_least_twenty_spellings_of_mohammed_share_one_skeleton() -> None:
    spellings = SPELLINGS["Mohammed"]
    assert len(set(spellings)) >= 20
    mhmd = [s for s in spellings if skeleton(latin_parts(s)[0]) == "mhmd"]
    assert len(mhmd) >= 15  # the rest ("Mohamet", "Mohd", ...) are caught by edit distance


@pytest.mark.parametrize(
    "written", ["Abd al-Rahman", "Abdul Rahman", "Abdulrahman", "Abdelrahman", "Abdurrahman",
                "Abd el-Rahman", "عبد الرحمن"]
)  # fmt: skip
def test_abd_al_forms_become_one_part(written: str) -> None:
    assert [skeleton(p) for p in latin_parts(written)] == ["bdlrhmn"]


@pytest.mark.parametrize("written", ["al-Hassan", "Al Hassan", "AlHassan", "El-Hassan", "الحسن"])
def test_article_prefixes_are_joined_and_dropped_from_the_skeleton(written: str) -> None:
    parts = latin_parts(written)
    assert len(parts) == 1
    assert skeleton(parts[0]) == skeleton("hassan") == "hsn"


def test_arabic_and_cyrillic_script_meet_the_latin_form() -> None:
    latin = name_keys("Mohammed", "Hassan")
    assert name_keys("محمد", "حسن").skel_sorted == latin.skel_sorted
    assert name_keys("Мухаммад", "Хасан").skel_sorted == latin.skel_sorted


def test_swapped_order_keeps_the_sorted_keys() -> None:
    a, b = name_keys("Ali", "Hassan"), name_keys("Hassan", "Ali")
    assert a.full_sorted == b.full_sorted and a.given_skel == b.family_skel


def test_a_whole_name_in_one_field_is_split_last_part_family() -> None:
    keys = name_keys("", "Omar Khaled Haddad")
    assert keys.given == "omar khaled" and keys.family == "haddad"


def test_missing_parts_give_empty_keys() -> None:
    keys = name_keys("", "")
    assert keys.parts == () and keys.given_skel == "" and keys.family_skel == ""
