from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.outreach"
    label = "outreach"
    verbose_name = "Outreach at care sites"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # How this area's rows in the audit trail read (core.audit.describe).
        from werkbrug.outreach import audit_labels, choosers  # noqa: F401
        from werkbrug.outreach.panels import trajectory_panel
        from werkbrug.trajectories.panels import Panel, register_trajectory_panel

        register_trajectory_panel(
            Panel("outreach-paths", "outreach/_trajectory_panel.html", trajectory_panel)
        )
        from werkbrug.outreach.zitdag_views import trajectory_panel as zitdag_panel

        register_trajectory_panel(Panel("outreach-zitdagen", "outreach/_zitdag_panel.html", zitdag_panel))
