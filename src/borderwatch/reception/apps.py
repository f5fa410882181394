from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    name = "borderwatch.reception"
    label = "reception"
    verbose_name = "Reception"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A person's erasure (registration runs it) takes reception's rows about them too.
        from borderwatch.core import erasure
        from borderwatch.reception.services import erase_person_data

        erasure.register("reception", erase_person_data)
        # Jobs that follow a task: requeued or failed visibly when their worker stops.
        from borderwatch.core import workers
        from borderwatch.reception import services

        workers.register("reception.proposal", services.recover_proposals)
