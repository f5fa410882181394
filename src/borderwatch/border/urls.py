from django.urls import path

from borderwatch.border import views

app_name = "border"

urlpatterns = [
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_report, name="report"),
    path("events/import/", views.event_import, name="import"),
    path("imports/<int:job_id>/", views.import_job, name="import_job"),
    path("imports/<int:job_id>/progress/", views.import_progress, name="import_progress"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("events/<int:event_id>/correct/", views.event_correct, name="correct"),
    path("events/<int:event_id>/delete/", views.event_delete, name="delete"),
    path("sections/", views.section_list, name="sections"),
    path("sections/propose/", views.propose_levels, name="propose"),
    path("assessments/<int:assessment_id>/confirm/", views.confirm_level, name="confirm"),
    path("assessments/<int:assessment_id>/reject/", views.reject_level, name="reject"),
]
