from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.employers"
    label = "employers"
    verbose_name = "Employers and job development"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The searchable fields of its forms (core.choosers), how its audit rows read
        # (core.audit.describe) and its sections on the trajectory page and the caseload.
        from werkbrug.employers import audit_labels, choosers, panels  # noqa: F401

        panels.register()
