"""Job-Radar, the network's group module (seed 001 L298-310): 14 weeks in 3 phases, at most 13
participants. Seeded by a data migration; tests that flush the tables call `ensure_job_radar`."""

from __future__ import annotations

from typing import Any

JOB_RADAR: dict[str, Any] = {
    "name": "Job-Radar",
    "weeks": 14,
    "cap": 13,
    "description": "Oriëntatie- en activeringstraject in groep, naar het voorbeeld van de Op-stap module.",
    "phases": [
        ("Sociale vaardigheden en communicatie", 1, 3, False),
        ("Beroepsanalyse", 4, 6, False),
        ("Werkervaringsstage", 7, 14, True),
    ],
}


def ensure_job_radar(template_model: Any, phase_model: Any) -> Any:
    """The Job-Radar template (with the models given, so the data migration can use its own)."""
    template, created = template_model.objects.get_or_create(
        name=JOB_RADAR["name"],
        defaults={k: JOB_RADAR[k] for k in ("weeks", "cap", "description")},
    )
    if created:
        for name, first, last, placement in JOB_RADAR["phases"]:
            phase_model.objects.create(
                template=template, name=name, first_week=first, last_week=last, is_placement=placement
            )
    return template
