from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.workcare"
    label = "workcare"
    verbose_name = "Work-care (arbeidszorg): agreements, hours, subsidy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from werkbrug.trajectories.panels import Panel, register_caseload_panel, register_trajectory_panel
        from werkbrug.workcare import audit_labels  # noqa: F401
        from werkbrug.workcare.clocks import caseload_panel
        from werkbrug.workcare.views import trajectory_panel

        register_trajectory_panel(Panel("workcare", "workcare/_trajectory_panel.html", trajectory_panel))
        register_caseload_panel(Panel("workcare-clocks", "workcare/_caseload_panel.html", caseload_panel))
