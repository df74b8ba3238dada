"""The trajectory types every network starts with (installed by trajectories migration 0002, before the type became network reference data)."""

from __future__ import annotations

from typing import Any

# Capacity norms: a full-time arbeidscoach carries 35-40 intensive dossiers (seed 000 L254);
# an IPS work-only coach at most 20 active clients (seed 003).
DEFAULT_TYPES = [
    ("arbeidscoach", "Arbeidscoach-voortraject", 35),
    ("gtb", "GTB-trajectbegeleiding", 40),
    ("ips", "IPS", 20),
    ("dcm", "Disability case management (DCM)", 25),
    ("arbeidszorg", "Arbeidszorg", 30),
    ("outreach", "Coach werk op de vindplaats", 40),
    ("vdab", "VDAB-begeleiding", 40),
    ("gob", "GOB-jobcoaching", 30),
]


def ensure_default_types(model: Any) -> None:
    """Create the missing default types; `model` is TrajectoryType (or its historical version)."""
    for code, name, capacity in DEFAULT_TYPES:
        model.objects.get_or_create(code=code, defaults={"name": name, "capacity_per_fte": capacity})
