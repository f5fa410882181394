from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "borderwatch.search"
    label = "search"
    verbose_name = "Search"
