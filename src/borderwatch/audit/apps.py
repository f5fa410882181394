from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "borderwatch.audit"
    label = "audit"
    verbose_name = "Audit trail"
