from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "werkbrug.reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each report registers itself when its module is imported.
        from werkbrug.reports import annex, caseload, funnel, workcare, yearly  # noqa: F401
