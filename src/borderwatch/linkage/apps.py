from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "borderwatch.linkage"
    label = "linkage"
    verbose_name = "Linkage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A person's erasure (registration runs it) takes the pairs naming them too.
        from borderwatch.core import erasure, workers
        from borderwatch.linkage import services

        erasure.register("linkage", services.erase_person_data)
        # Duplicate runs follow a task: requeued or failed visibly when their worker stops.
        workers.register("linkage.run", services.recover_runs)
