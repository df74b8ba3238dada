from django.apps import AppConfig


class Config(AppConfig):
    name = "werkbrug.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from werkbrug.accounts.twofactor import check_at_login

        user_logged_in.connect(check_at_login, dispatch_uid="werkbrug.accounts.check_at_login")
