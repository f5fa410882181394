from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "borderwatch.registration"
    label = "registration"
    verbose_name = "Registration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Jobs that follow a task: requeued or failed visibly when their worker stops.
        from borderwatch.core import workers
        from borderwatch.registration import services

        workers.register("registration.identification", services.recover_identifications)
        workers.register("registration.capture", services.recover_captures)
