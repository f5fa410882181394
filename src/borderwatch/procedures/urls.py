from django.urls import path

from borderwatch.procedures import views

app_name = "procedures"

urlpatterns = [
    path("", views.case_list, name="cases"),
    path("new/", views.case_new, name="new"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("backlog/", views.backlog, name="backlog"),
    path("backlog.csv", views.backlog_csv, name="backlog_csv"),
    path("<int:application_id>/", views.case_detail, name="case"),
    path("<int:application_id>/step/<slug:target>/", views.case_step, name="step"),
    path("<int:application_id>/extend/", views.case_extend, name="extend"),
]
