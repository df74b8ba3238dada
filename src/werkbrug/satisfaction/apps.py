from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.satisfaction"
    label = "satisfaction"
    default_auto_field = "django.db.models.BigAutoField"
