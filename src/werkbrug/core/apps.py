from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", verbosity: int = 1, **kwargs: Any) -> None:
    """`manage.py migrate` also makes the shared cache's table (settings.CACHE_TABLE, the
    DatabaseCache of production): one step fewer to forget when a host is added. Made whatever the
    cache of the process that migrates, so that a database migrated with DEBUG on serves hosts with
    DEBUG off. Nothing happens when it exists."""
    from django.conf import settings
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = max(verbosity - 1, 0)
    command.create_table(using, settings.CACHE_TABLE, dry_run=False)


def keep_prepared_statements(sender: Any, connection: Any, **kwargs: Any) -> None:
    """psycopg keeps settings.STATEMENT_CACHE_SIZE prepared statements on a PostgreSQL connection
    instead of its 100: fewer than the pages run between them (settings.py)."""
    from django.conf import settings

    if connection.vendor == "postgresql":
        connection.connection.prepared_max = settings.STATEMENT_CACHE_SIZE


class Config(AppConfig):
    name = "werkbrug.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="werkbrug.core.cache_table")
        connection_created.connect(keep_prepared_statements, dispatch_uid="werkbrug.core.prepared_statements")
