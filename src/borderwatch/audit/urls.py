from django.urls import path

from borderwatch.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.entries, name="entries"),
    path("export.csv", views.export_csv, name="export"),
    path("persons/<int:person_id>/", views.person_log, name="person"),
    path("persons/<int:person_id>/record/", views.subject_record, name="record"),
    path("persons/<int:person_id>/record.json", views.subject_record_json, name="record_json"),
]
