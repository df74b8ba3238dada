from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.fidelity"
    label = "fidelity"
    verbose_name = "IPS fidelity review, computed from the registration"
    default_auto_field = "django.db.models.BigAutoField"
