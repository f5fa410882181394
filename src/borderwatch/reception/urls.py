from django.urls import path

from borderwatch.reception import views

app_name = "reception"

urlpatterns = [
    path("", views.facility_list, name="facilities"),
    path("facilities/<int:facility_id>/", views.facility_detail, name="facility"),
    path("arrivals/", views.arrivals, name="arrivals"),
    path("chart/", views.occupancy_chart, name="chart"),
    path("placements/<int:placement_id>/end/", views.end_placement, name="end_placement"),
]
