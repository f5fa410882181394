from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "borderwatch.news"
    label = "news"
    verbose_name = "News intake"
