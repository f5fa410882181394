"""The Splink model on a small synthetic population, the generator and the quick ranking."""

import datetime as dt

import pytest

from borderwatch.engines.linkage import (
    PersonRecord,
    TrainedModel,
    generate,
    predict,
    prepare,
    rank,
    settings,
    train,
)


@pytest.fixture(scope="module")
def population_and_model() -> tuple:
    population = generate(3000, seed=5)
    return population, train(population.records)


def test_generator_is_seeded_and_has_known_duplicates() -> None:
    a, b = generate(2000, seed=3), generate(2000, seed=3)
    assert a.records == b.records
    pairs = a.true_pairs()
    states = {(a.identity[x] == a.identity[y]) for x, y in pairs}
    assert states == {True}
    within = sum(1 for x, y in pairs if a.records[int(x[1:])].state == a.records[int(y[1:])].state)
    across = len(pairs) - within
    assert within > 50 and across > 100  # both kinds, at the documented rates
    assert any(r.birth_year_only for r in a.records)
    assert any(not r.document for r in a.records)


def test_training_is_recorded(population_and_model: tuple) -> None:
    population, model = population_and_model
    assert isinstance(model, TrainedModel)
    record = model.training
    assert record.records == len(population.records)
    assert [s["blocking_rule"] for s in record.em_sessions] == [
        list(r) for r in record.plan["em_rules"]
    ]
    assert 0 < record.prior < 0.01
    names = [c["output_column_name"] for c in model.splink["comparisons"]]
    assert names[:2] == ["name", "date_of_birth"]
    # every comparison's most alike level was estimated (rare levels may be unobserved)
    for comparison in model.splink["comparisons"]:
        top = next(lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level"))
        assert top["m_probability"] > top["u_probability"]


def test_predicted_pairs_find_most_duplicates_with_few_errors(population_and_model: tuple) -> None:
    population, model = population_and_model
    truth = population.true_pairs()
    found = {(p.left, p.right) for p in predict(population.records, model, threshold=0.9)}
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    assert precision > 0.9 and recall > 0.75


def test_the_model_definition_also_builds_spark_sql() -> None:
    spark = settings().create_settings_dict("spark")
    duck = settings().create_settings_dict("duckdb")
    assert len(spark["comparisons"]) == len(duck["comparisons"])
    sql = str(spark["comparisons"][0])
    assert "jaro_winkler" in sql


def test_prepare_refuses_duplicate_ids() -> None:
    r = PersonRecord("same", "LT", "Ali", "Hassan")
    with pytest.raises(ValueError, match="duplicate record id"):
        prepare([r, r])


def test_rank_finds_a_transliterated_name_first() -> None:
    others = generate(500, seed=9).records
    target = PersonRecord("t", "LT", "Muhammad", "El-Hassan", dt.date(1990, 5, 3), sex="M")
    query = PersonRecord("q", "LT", "محمد", "الحسن", dt.date(1990, 1, 1), True, "M")
    found = rank(query, [*others, target], limit=5)
    assert found and found[0].uid == "t"
    assert "dob_year" in found[0].reasons


def test_rank_on_document_number_alone() -> None:
    a = PersonRecord("a", "LT", "Ali", "Hassan", document="AB 123-456")
    b = PersonRecord("b", "LT", "Aly", "Hasan", document="ab123456")
    assert rank(a, [b])[0].reasons[-1] == "document"
