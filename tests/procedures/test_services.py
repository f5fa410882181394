"""The application's workflow through its services: table, roles, days, rules, Eurodac, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry, TransitionRecord
from borderwatch.procedures import services
from borderwatch.procedures.models import AsylumApplication, DueKind, Status
from borderwatch.registration.models import Person
from tests.procedures.conftest import MADE, TODAY, walk
from tests.registration.conftest import new_person

pytestmark = pytest.mark.django_db
S = Status


def _make(actor: User, person: Person, made_on: dt.date = MADE, **kw: bool) -> AsylumApplication:
    return services.make_application(actor, person_id=person.pk, made_on=made_on, today=TODAY, **kw)


def test_main_path_to_a_final_decision(officer_lt: User, person_lt: Person, rules: None) -> None:
    case = _make(officer_lt, person_lt)
    assert case.during_influx and case.due_kind == DueKind.REGISTRATION
    assert case.registration_due == dt.date(2021, 7, 19)  # 10 working days: the influx
    case = walk(
        officer_lt, case, (S.REGISTERED, dt.date(2021, 7, 5)), (S.LODGED, dt.date(2021, 7, 14)),
    )  # fmt: skip
    # Lodged after the July law took effect: the decision is due within 10 days.
    assert case.decision_due == dt.date(2021, 7, 24) and case.national_rule is not None
    person_lt.refresh_from_db()
    assert (person_lt.eurodac_category, person_lt.previous_category) == (1, 2)
    assert person_lt.applicant_since == dt.date(2021, 7, 14)
    case = walk(
        officer_lt, case, (S.ADMISSIBLE, dt.date(2021, 7, 15)),
        (S.INTERVIEWED, dt.date(2021, 7, 16)), (S.REJECTED_MANIFESTLY_UNFOUNDED, dt.date(2021, 7, 22)),
        (S.APPEALED, dt.date(2021, 7, 30)), (S.FINAL_PROTECTION, dt.date(2021, 10, 1)),
    )  # fmt: skip
    case.refresh_from_db()
    assert case.status == S.FINAL_PROTECTION and case.decision == S.REJECTED_MANIFESTLY_UNFOUNDED
    assert case.due_on is None and case.decision_text == "Reasoned decision."
    person_lt.refresh_from_db()
    assert person_lt.protection_granted_on == dt.date(2021, 10, 1)
    rows = TransitionRecord.objects.filter(
        object_id=str(case.pk), workflow="procedures.application"
    )
    assert [r.target for r in rows] == [
        "registered", "lodged", "admissible", "interviewed", "rejected_manifestly", "appealed",
        "final_protection",
    ]  # fmt: skip
    actions = set(
        AuditEntry.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)
    )
    assert "procedures.application.make" in actions and "procedures.application.final" in actions


def _unchanged(case: AsylumApplication) -> None:
    before = case.status
    case.refresh_from_db()
    assert case.status == before


def test_impossible_move_is_named_and_changes_nothing(officer_lt: User, person_lt: Person) -> None:
    case = _make(officer_lt, person_lt)
    with pytest.raises(ValidationError, match="Cannot go from made to refugee_status"):
        walk(officer_lt, case, (S.REFUGEE_STATUS, dt.date(2021, 7, 5)))
    _unchanged(case)
    assert not TransitionRecord.objects.filter(object_id=str(case.pk)).exists()


def test_day_before_the_application_or_the_last_step_refused(
    officer_lt: User, person_lt: Person
) -> None:
    case = _make(officer_lt, person_lt)
    with pytest.raises(ValidationError, match="before the application was made"):
        walk(officer_lt, case, (S.REGISTERED, dt.date(2021, 7, 1)))
    walk(officer_lt, case, (S.REGISTERED, dt.date(2021, 7, 6)))
    with pytest.raises(ValidationError, match="before the last step"):
        walk(officer_lt, case, (S.LODGED, dt.date(2021, 7, 5)))
    with pytest.raises(ValidationError, match="in the future"):
        walk(officer_lt, case, (S.LODGED, dt.date(2022, 7, 5)))
    case.refresh_from_db()
    assert case.status == S.REGISTERED and case.lodged_on is None


def test_decision_needs_reasons_and_interview_needs_its_record(
    officer_lt: User, person_lt: Person
) -> None:
    case = _make(officer_lt, person_lt)
    walk(officer_lt, case, (S.REGISTERED, MADE), (S.LODGED, MADE), (S.ADMISSIBLE, MADE))
    with pytest.raises(ValidationError, match="interview record is empty"):
        services.advance(officer_lt, case.pk, S.INTERVIEWED, on=MADE, today=TODAY)
    walk(officer_lt, case, (S.INTERVIEWED, MADE))
    with pytest.raises(ValidationError, match="Give a reason"):
        services.advance(officer_lt, case.pk, S.REJECTED_UNFOUNDED, on=MADE, today=TODAY)
    case.refresh_from_db()
    assert case.status == S.INTERVIEWED and case.decided_on is None


def test_border_crossing_points_only_from_10_august(
    officer_lt: User, person_lt: Person, rules: None
) -> None:
    with pytest.raises(ValidationError, match="only at border crossing points"):
        _make(officer_lt, person_lt, dt.date(2021, 8, 10))
    assert not AsylumApplication.objects.exists()
    _make(officer_lt, person_lt, dt.date(2021, 8, 9))  # the day before: still accepted


def test_rule_applied_by_date_not_before_the_law(
    officer_lt: User, person_lt: Person, rules: None
) -> None:
    case = _make(officer_lt, person_lt)
    case = walk(officer_lt, case, (S.REGISTERED, MADE), (S.LODGED, dt.date(2021, 7, 12)))
    assert case.national_rule is None and case.decision_due == dt.date(2022, 1, 12)


def test_one_open_application_per_person(officer_lt: User, person_lt: Person) -> None:
    _make(officer_lt, person_lt)
    with pytest.raises(ValidationError, match="already has an open application"):
        _make(officer_lt, person_lt)


def test_roles_and_states(
    officer_lt: User, officer_pl: User, person_lt: Person, coordinator_lt: User
) -> None:
    with pytest.raises(ValidationError, match="does not exist"):  # as if missing
        _make(officer_pl, person_lt)
    with pytest.raises(PermissionDenied):
        _make(coordinator_lt, person_lt)
    case = _make(officer_lt, person_lt)
    with pytest.raises(ValidationError, match="does not exist"):
        walk(officer_pl, case, (S.REGISTERED, MADE))
    _unchanged(case)


def test_extension_nine_then_three_and_no_more(officer_lt: User, person_lt: Person) -> None:
    case = _make(officer_lt, person_lt)
    walk(officer_lt, case, (S.REGISTERED, MADE), (S.LODGED, MADE))
    with pytest.raises(ValidationError, match="at most 9 months"):
        services.extend_decision_period(officer_lt, case.pk, months=10, reason="Complex case.")
    case = services.extend_decision_period(officer_lt, case.pk, months=9, reason="Complex case.")
    assert case.decision_due == dt.date(2022, 10, 2)
    case = services.extend_decision_period(officer_lt, case.pk, months=3, reason="Still complex.")
    assert case.decision_due == dt.date(2023, 1, 2)
    with pytest.raises(ValidationError, match="twice already"):
        services.extend_decision_period(officer_lt, case.pk, months=1, reason="Again.")


def test_withdrawal_and_no_appeal(officer_lt: User) -> None:
    person = new_person(None, "LT")
    case = _make(officer_lt, person)
    walk(officer_lt, case, (S.REGISTERED, MADE), (S.IMPLICITLY_WITHDRAWN, dt.date(2021, 7, 20)))
    case = walk(officer_lt, case, (S.FINAL_REJECTED, dt.date(2021, 8, 5)))
    assert case.decision == S.IMPLICITLY_WITHDRAWN and case.final_on == dt.date(2021, 8, 5)
    assert _make(officer_lt, person, dt.date(2021, 9, 1)).pk  # a later, new application


def test_erasing_the_person_erases_their_applications_and_timelines(
    officer_lt: User, person_lt: Person, rules: None
) -> None:
    from borderwatch.registration import services as registration

    case = walk(officer_lt, _make(officer_lt, person_lt), (S.REGISTERED, dt.date(2021, 7, 5)))
    assert TransitionRecord.objects.filter(object_id=str(case.pk)).exists()
    registration.erase_due(dt.date(2040, 1, 1))
    assert not Person.objects.filter(pk=person_lt.pk).exists()
    assert not AsylumApplication.objects.filter(pk=case.pk).exists()
    assert not TransitionRecord.objects.filter(
        object_type="procedures.AsylumApplication", object_id=str(case.pk)
    ).exists()
    entry = AuditEntry.objects.get(action="registration.person.erase")
    assert entry.old_values["counts"]["procedures.asylum_applications"] == 1
