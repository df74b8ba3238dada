from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.groups"
    label = "groups"
    verbose_name = "Group modules (Job-Radar)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The enrolment chooser (core.choosers), how its audit rows read (core.audit.describe) and
        # its section on the trajectory page (trajectories.panels).
        from werkbrug.groups import audit_labels, choosers, panels  # noqa: F401

        panels.register()
