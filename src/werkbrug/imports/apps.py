from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "werkbrug.imports"
    label = "imports"
