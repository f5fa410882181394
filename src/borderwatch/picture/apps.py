from django.apps import AppConfig


class PictureConfig(AppConfig):
    name = "borderwatch.picture"
    label = "picture"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The picture reads every app; it registers the layers it shows from them.
        from borderwatch.picture import layers, story
        from borderwatch.picture.coverage import coverage_layer
        from borderwatch.picture.flights import flight_suspensions
        from borderwatch.picture.measures import border_measures
        from borderwatch.picture.occupancy import occupancy_layer
        from borderwatch.picture.support import support_facts

        layers.register("reception", occupancy_layer)
        layers.register("coverage", coverage_layer)
        # What happened, from the apps that own the facts (support and intelligence to come).
        story.register("border", border_measures)
        story.register("support", support_facts)
        story.register("intelligence", flight_suspensions)
