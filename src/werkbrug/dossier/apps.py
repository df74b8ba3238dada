from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "werkbrug.dossier"
    label = "dossier"
