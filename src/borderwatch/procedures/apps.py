from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "borderwatch.procedures"
    label = "procedures"
    verbose_name = "Procedures"
    default_auto_field = "django.db.models.BigAutoField"
