from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.exchange"
    label = "exchange"
    default_auto_field = "django.db.models.BigAutoField"
