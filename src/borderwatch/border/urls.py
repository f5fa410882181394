from django.urls import path

from borderwatch.border import views

app_name = "border"

urlpatterns = [
    path("events/", views.event_list, name="events"),
    path("sections/", views.section_list, name="sections"),
]
