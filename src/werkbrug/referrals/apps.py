from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.referrals"
    label = "referrals"
    default_auto_field = "django.db.models.BigAutoField"
