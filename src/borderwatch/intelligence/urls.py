from django.urls import path

from borderwatch.intelligence import views

app_name = "intelligence"

urlpatterns = [
    path("", views.flights, name="flights"),
    path("import/", views.import_file, name="import"),
    path("imports/<int:job_id>/", views.import_job, name="import_job"),
    path("imports/<int:job_id>/progress/", views.import_progress, name="import_progress"),
    path("forecasts/", views.forecasts, name="forecasts"),
    path("forecasts/<int:run_id>/", views.forecast, name="forecast"),
    path("forecasts/<int:run_id>/progress/", views.forecast_progress, name="forecast_progress"),
    path("forecasts/<int:run_id>/what-if/", views.what_if, name="what_if"),
]
