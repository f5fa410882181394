from django.urls import path

from borderwatch.registration import views

app_name = "registration"

urlpatterns = [
    path("", views.registrations, name="registrations"),
    path("events/<int:event_id>/persons/", views.group_register, name="group"),
    path("persons/<int:person_id>/", views.person_detail, name="person"),
    path("persons/<int:person_id>/documents/", views.add_document, name="add_document"),
    path("persons/<int:person_id>/fingerprints/", views.capture, name="capture"),
    path("sets/<int:set_id>/", views.fingerprint_set, name="set"),
    path("sets/<int:set_id>/recapture/", views.recapture, name="recapture"),
    path("sets/<int:set_id>/identify/", views.start_identification, name="identify"),
    path("fingers/<int:finger_id>/image.png", views.finger_image, name="finger_image"),
    path("identifications/<int:request_id>/", views.identification, name="identification"),
    path(
        "identifications/<int:request_id>/progress/",
        views.identification_progress,
        name="progress",
    ),
    path("hits/review/", views.review_queue, name="review"),
    path("hits/shared/", views.shared_hits, name="shared"),
    path("hits/<int:hit_id>/", views.hit_detail, name="hit"),
    path("hits/<int:hit_id>/decide/", views.decide, name="decide"),
]
