from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "borderwatch.linkage"
    label = "linkage"
    verbose_name = "Linkage"
