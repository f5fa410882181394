from django.urls import path

from borderwatch.procedures import return_views, views

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
    # return cases, readmission, flights, country policies (return_views.py)
    path("returns/", return_views.return_list, name="returns"),
    path("returns/new/", return_views.return_new, name="return_new"),
    path("returns/policies/", return_views.policies, name="policies"),
    path("returns/flights/", return_views.flight_list, name="flights"),
    path("returns/flights/<int:flight_id>/", return_views.flight_detail, name="flight"),
    path("returns/flights/<int:flight_id>/depart/", return_views.flight_depart, name="depart"),
    path("returns/flights/<int:flight_id>/cancel/", return_views.flight_cancel, name="cancel"),
    path("returns/<int:case_id>/", return_views.return_detail, name="return"),
    path("returns/<int:case_id>/step/<slug:target>/", return_views.return_step, name="return_step"),
    path("returns/<int:case_id>/<slug:action>/", return_views.return_action, name="return_form"),
    path(
        "returns/readmission/<int:request_id>/step/<slug:target>/",
        return_views.readmission_step,
        name="readmission_step",
    ),
    path(
        "returns/readmission/<int:request_id>/remind/",
        return_views.readmission_remind,
        name="readmission_remind",
    ),
]
