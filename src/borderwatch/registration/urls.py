from django.urls import path

from borderwatch.registration.views import fingerprints, group, identification, persons, review

app_name = "registration"

urlpatterns = [
    path("", persons.registrations, name="registrations"),
    path("events/<int:event_id>/persons/", group.group_register, name="group"),
    path("persons/<int:person_id>/", persons.person_detail, name="person"),
    path("persons/<int:person_id>/documents/", persons.add_document, name="add_document"),
    path("persons/<int:person_id>/erase/", persons.erase_person, name="erase"),
    path("persons/<int:person_id>/fingerprints/", fingerprints.capture, name="capture"),
    path("captures/<int:capture_id>/", fingerprints.capture_job, name="capture_job"),
    path(
        "captures/<int:capture_id>/progress/",
        fingerprints.capture_progress,
        name="capture_progress",
    ),
    path("sets/<int:set_id>/", fingerprints.fingerprint_set, name="set"),
    path("sets/<int:set_id>/recapture/", fingerprints.recapture, name="recapture"),
    path("sets/<int:set_id>/identify/", identification.start_identification, name="identify"),
    path("fingers/<int:finger_id>/image.png", fingerprints.finger_image, name="finger_image"),
    path(
        "identifications/<int:request_id>/",
        identification.identification,
        name="identification",
    ),
    path(
        "identifications/<int:request_id>/progress/",
        identification.identification_progress,
        name="progress",
    ),
    path("hits/review/", review.review_queue, name="review"),
    path("hits/shared/", review.shared_hits, name="shared"),
    path("hits/<int:hit_id>/", review.hit_detail, name="hit"),
    path("hits/<int:hit_id>/decide/", review.decide, name="decide"),
]
