from django.apps import AppConfig


class PictureConfig(AppConfig):
    name = "borderwatch.picture"
    label = "picture"
    default_auto_field = "django.db.models.BigAutoField"
