from django.urls import path

from borderwatch.reception import views

app_name = "reception"

urlpatterns = [
    path("", views.facility_list, name="facilities"),
    path("facilities/<int:facility_id>/", views.facility_detail, name="facility"),
    path("arrivals/", views.arrivals, name="arrivals"),
    path("proposals/", views.propose, name="propose"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path(
        "proposals/<int:proposal_id>/progress/", views.proposal_progress, name="proposal_progress"
    ),
    path("proposals/<int:proposal_id>/accept/", views.accept, name="accept_proposal"),
    path("chart/", views.occupancy_chart, name="chart"),
    path("placements/<int:placement_id>/end/", views.end_placement, name="end_placement"),
]
