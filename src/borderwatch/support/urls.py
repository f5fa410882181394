from django.urls import path

from borderwatch.support import views

app_name = "support"

urlpatterns = [
    path("", views.request_list, name="requests"),
    path("funding/", views.funding, name="funding"),
    path("funding.csv", views.funding_csv, name="funding_csv"),
    path("overview/", views.overview, name="overview"),
    path("<int:request_id>/", views.request_detail, name="request"),
    path("<int:request_id>/step/<slug:target>/", views.request_step, name="step"),
    path("<int:request_id>/deploy/", views.request_deploy, name="deploy"),
]
