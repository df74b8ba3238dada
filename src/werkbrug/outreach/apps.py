from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.outreach"
    label = "outreach"
    verbose_name = "Outreach at care sites"
    default_auto_field = "django.db.models.BigAutoField"
