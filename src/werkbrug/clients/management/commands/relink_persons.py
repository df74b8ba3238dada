"""Compute every client's linkage keys again (clients.linkage; docs/reports.md, "Persons").

manage.py relink_persons   # after rotating PSEUDONYM_KEY, or to repair the keys

The actions keep the keys as records change; this is for when the key itself changed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from werkbrug.clients.linkage import link_all


class Command(BaseCommand):
    help = "Compute every client's person key again (after rotating PSEUDONYM_KEY)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            changed = link_all()
        self.stdout.write(self.style.SUCCESS(f"{changed} client(s) linked again."))
