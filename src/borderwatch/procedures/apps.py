from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "borderwatch.procedures"
    label = "procedures"
    verbose_name = "Procedures"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A person's erasure (registration runs it) takes their asylum applications too.
        from borderwatch.core import erasure
        from borderwatch.procedures.services.erasure import erase_person_data

        erasure.register("procedures", erase_person_data)
