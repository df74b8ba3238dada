from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.network"
    label = "network"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The searchable fields over the network's rows (core.choosers).
        from werkbrug.network import choosers  # noqa: F401
