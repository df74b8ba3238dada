from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.employers"
    label = "employers"
    verbose_name = "Employers and job development"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from werkbrug.employers import choosers  # noqa: F401
