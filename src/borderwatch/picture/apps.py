from django.apps import AppConfig


class PictureConfig(AppConfig):
    name = "borderwatch.picture"
    label = "picture"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The picture reads every app; it registers the layers it shows from them.
        from borderwatch.picture import layers
        from borderwatch.picture.occupancy import occupancy_layer

        layers.register("reception", occupancy_layer)
