from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.trajectories"
    label = "trajectories"
    default_auto_field = "django.db.models.BigAutoField"
