from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "werkbrug.privacy"
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # How this area's rows in the audit trail read (core.audit.describe).
        from werkbrug.privacy import audit_labels  # noqa: F401
