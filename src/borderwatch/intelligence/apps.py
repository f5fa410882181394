from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "borderwatch.intelligence"
    label = "intelligence"
    verbose_name = "Intelligence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Jobs that follow a task: requeued or failed visibly when their worker stops.
        from borderwatch.core import workers
        from borderwatch.intelligence import services

        workers.register("intelligence.forecast", services.recover_forecasts)
        workers.register("intelligence.import", services.recover_imports)
