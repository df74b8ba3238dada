from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.ips"
    label = "ips"
    verbose_name = "IPS: placements, follow-along, benefits, disclosure, fidelity"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from werkbrug.ips import audit_labels  # noqa: F401
        from werkbrug.ips.views import caseload_panel, trajectory_panel
        from werkbrug.trajectories.panels import Panel, register_caseload_panel, register_trajectory_panel

        register_trajectory_panel(Panel("ips-jobs", "ips/_trajectory_panel.html", trajectory_panel))
        register_caseload_panel(Panel("ips-follow-along", "ips/_caseload_panel.html", caseload_panel))
