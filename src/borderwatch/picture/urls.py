from django.urls import path

from borderwatch.picture import views

app_name = "picture"

urlpatterns = [
    path("", views.situation, name="situation"),
    path("bulletin/", views.bulletin, name="bulletin"),
]
