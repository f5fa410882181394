from django.urls import path

from borderwatch.picture import views

app_name = "picture"

urlpatterns = [
    path("", views.situation, name="situation"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("export/daily.csv", views.daily_csv, name="daily_csv"),
    path("map/outlines.geojson", views.country_outlines, name="outlines"),
    path("map/towns.geojson", views.town_labels, name="towns"),
]
