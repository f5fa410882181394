from django.urls import path

from borderwatch.support import views

app_name = "support"

urlpatterns = [
    path("", views.request_list, name="requests"),
    path("funding/", views.funding, name="funding"),
    path("funding.csv", views.funding_csv, name="funding_csv"),
    path("funding/offer/", views.funding_offer, name="funding_offer"),
    path("funding/<int:funding_id>/", views.funding_decision, name="funding_decision"),
    path("funding/<int:funding_id>/<slug:step>/", views.funding_step, name="funding_step"),
    path("aid/", views.aid_offer, name="aid_offer"),
    path("aid/deliveries/", views.aid_deliver, name="aid_deliver"),
    path("overview/", views.overview, name="overview"),
    path("deployments/<int:deployment_id>/", views.deployment_detail, name="deployment"),
    path("deployments/<int:deployment_id>/rotate/", views.deployment_rotate, name="rotate"),
    path("<int:request_id>/", views.request_detail, name="request"),
    path("<int:request_id>/step/<slug:target>/", views.request_step, name="step"),
    path("<int:request_id>/deploy/", views.request_deploy, name="deploy"),
]
