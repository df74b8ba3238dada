from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.library"
    label = "library"
    verbose_name = "Library: the draaiboek's versions, central documents and their announcements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from werkbrug.library import audit_labels  # noqa: F401
