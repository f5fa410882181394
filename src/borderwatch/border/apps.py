from django.apps import AppConfig


class BorderConfig(AppConfig):
    name = "borderwatch.border"
    label = "border"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Import jobs follow a task: requeued or failed visibly when their worker stops.
        from borderwatch.border import imports
        from borderwatch.core import workers

        workers.register("border.import", imports.recover_import_jobs)
