from django.urls import path

from borderwatch.linkage import views

app_name = "linkage"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("runs/", views.start_run, name="run"),
    path("pairs/<int:pair_id>/", views.pair, name="pair"),
    path("pairs/<int:pair_id>/decide/", views.decide, name="decide"),
    path("check/", views.check, name="check"),
]
