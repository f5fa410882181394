"""Every write of the registration app: transactional, audited, checked against role and state.

One module per use case; this package re-exports the public functions so that callers keep
writing `services.create_person(...)` or `from borderwatch.registration.services import X`.
"""

from borderwatch.registration.services.capture_jobs import (
    recover_captures,
    run_capture,
    submit_capture,
)
from borderwatch.registration.services.eurodac import (
    mark_protection,
    record_applicant,
    record_scenario_applicants,
)
from borderwatch.registration.services.fingerprints import (
    bulk_enrol_synthetic,
    capture_images,
    capture_nist,
    compact_gallery,
    latest_templates,
    rebuild_gallery,
    recapture_finger,
)
from borderwatch.registration.services.identification import (
    recover_identifications,
    request_identification,
    run_identification,
    set_templates,
    system_identification,
)
from borderwatch.registration.services.persons import (
    add_document,
    bulk_create_persons,
    create_person,
    delete_document,
    note_export,
    refresh_search_keys,
    register_group,
    remove_synthetic_persons,
    set_photo,
    split_row_message,
)
from borderwatch.registration.services.retention import (
    ErasureReason,
    due_for_erasure,
    erase_due,
    erase_on_citizenship,
    erasure_due_on,
    retention_years,
)
from borderwatch.registration.services.review import decide_hit

__all__ = [
    "ErasureReason",
    "add_document",
    "bulk_create_persons",
    "bulk_enrol_synthetic",
    "capture_images",
    "capture_nist",
    "compact_gallery",
    "create_person",
    "decide_hit",
    "delete_document",
    "due_for_erasure",
    "erase_due",
    "erase_on_citizenship",
    "erasure_due_on",
    "latest_templates",
    "mark_protection",
    "note_export",
    "rebuild_gallery",
    "recapture_finger",
    "record_applicant",
    "record_scenario_applicants",
    "recover_captures",
    "recover_identifications",
    "refresh_search_keys",
    "register_group",
    "remove_synthetic_persons",
    "request_identification",
    "retention_years",
    "run_capture",
    "run_identification",
    "set_photo",
    "set_templates",
    "split_row_message",
    "submit_capture",
    "system_identification",
]
