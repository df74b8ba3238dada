from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.ips"
    label = "ips"
    verbose_name = "IPS: placements, follow-along, benefits, disclosure, fidelity"
    default_auto_field = "django.db.models.BigAutoField"
