"""`manage.py generate_network --scale {tiny,small,full}`: a synthetic network for the benchmarks
(the generator and its invariants: `werkbrug.demo.generator`)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkbrug.clients.models import Client
from werkbrug.demo.generator.config import GENERATED_PASSWORD, SCALES
from werkbrug.demo.generator.run import generate


class Command(BaseCommand):
    help = "Generate a synthetic network (tiny, small or full = DESIGN §6) directly in the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true", help="Run even if the database has clients.")
        parser.add_argument("--batch", type=int, default=0, help="Clients per transaction.")

    def handle(self, *args: Any, scale: str, seed: int, force: bool, batch: int, **options: Any) -> None:
        if Client.objects.exists() and not force:
            raise CommandError("This database already has clients; use --force to add a network anyway.")
        began = time.monotonic()
        verbosity = int(options.get("verbosity", 1))

        def say(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(f"[{time.monotonic() - began:7.1f} s] {message}")
                self.stdout.flush()

        totals = generate(SCALES[scale], seed=seed, batch=batch, say=say)
        summary = ", ".join(f"{name} {count:,}" for name, count in totals.items())
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - began:.0f} s: {summary}."))
        self.stdout.write(f"Every generated user has the password {GENERATED_PASSWORD!r}.")
