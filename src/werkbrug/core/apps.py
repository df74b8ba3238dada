from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", verbosity: int = 1, **kwargs: Any) -> None:
    """`manage.py migrate` also makes the shared cache's table (settings.CACHES, a DatabaseCache in
    production): one step fewer to forget when a host is added. Does nothing when it exists, or when
    the cache is per process."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class Config(AppConfig):
    name = "werkbrug.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="werkbrug.core.cache_table")
