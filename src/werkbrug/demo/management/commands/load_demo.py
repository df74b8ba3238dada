"""`manage.py load_demo`: the fictional demo network, built through the actions (see demo/load.py)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from werkbrug.demo.load import load_demo
from werkbrug.demo.network import DEMO_PASSWORD, DEMO_URL, demo_logins, is_loaded, logins_table


class Command(BaseCommand):
    help = "Load the fictional demo network (idempotent); --reset flushes the database first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default=DEMO_URL,
            help="The address the demo is served on, for the closing line (make demo passes its HOST:PORT).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Flush the whole database (all data, not only the demo) and load the demo again.",
        )

    def handle(self, *args: Any, reset: bool = False, url: str = DEMO_URL, **options: Any) -> None:
        if reset:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # Inside a transaction (the tests) PostgreSQL refuses to TRUNCATE tables with
                # deferred foreign-key checks pending; run those checks now.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("Database flushed.")
        if is_loaded():
            self.stdout.write("The demo is already loaded (use --reset to load it afresh).")
            logins = demo_logins()
        else:
            network = load_demo()
            self.stdout.write(self.style.SUCCESS(f"Demo loaded: {len(network.clients)} fictional clients."))
            logins = network.logins
        self.stdout.write("")
        self.stdout.write(logins_table(logins))
        self.stdout.write("")
        self.stdout.write(f"Open {url} and log in with one of these (password: {DEMO_PASSWORD}).")
        self.stdout.write(
            "These are demo credentials, public on purpose: never use them for real data. Logins with a "
            "2FA secret also ask for a code: add the secret to an authenticator app, or run "
            "`oathtool --totp -b SECRET`; each recovery code works once."
        )
