from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.trajectories"
    label = "trajectories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # How this area's rows in the audit trail read (core.audit.describe).
        # The searchable fields of this area's forms (core.choosers).
        from werkbrug.trajectories import (
            audit_labels,  # noqa: F401
            choosers,  # noqa: F401
        )
