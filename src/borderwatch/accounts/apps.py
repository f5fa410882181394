from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "borderwatch.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # sign-in audit receivers and the deploy check register themselves on import
        from borderwatch.accounts import checks, signals  # noqa: F401
