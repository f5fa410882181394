from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    name = "borderwatch.reception"
    label = "reception"
    verbose_name = "Reception"
    default_auto_field = "django.db.models.BigAutoField"
