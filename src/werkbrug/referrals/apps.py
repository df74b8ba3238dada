from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.referrals"
    label = "referrals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # How this area's rows in the audit trail read (core.audit.describe).
        from werkbrug.referrals import audit_labels  # noqa: F401
