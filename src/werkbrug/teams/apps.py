from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.teams"
    label = "teams"
    default_auto_field = "django.db.models.BigAutoField"
