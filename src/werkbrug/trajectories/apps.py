from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.trajectories"
    label = "trajectories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # How this area's rows in the audit trail read (core.audit.describe), and the searchable
        # fields of its forms (core.choosers).
        from werkbrug.trajectories import audit_labels, care_partner, choosers  # noqa: F401
