"""Version 1 of the draaiboek: the indications that were hard-coded in network.indications, with
the same codes, so that existing lines, referrals and reports keep working. The wording is stored
as its English msgid (read translated, network.indications.Item.wording)."""

from django.db import migrations
from django.utils import timezone

FIRST = [
    ("low_threshold", "A low threshold is a precondition for starting a trajectory", "arbeidscoach", False),
    (
        "intensive_vulnerability",
        "More intensive follow-up and support (duration, frequency, continuity) because of the psychological "
        "vulnerability",
        "arbeidscoach",
        False,
    ),
    ("psychiatric_expertise", "Psychiatric expertise is needed", "arbeidscoach", False),
    ("work_attitudes", "Support to lower thresholds in work attitudes and working conditions", "arbeidscoach", False),
    (
        "whole_trajectory",
        "Support of the whole trajectory towards (re)employment in the regular circuit",
        "arbeidscoach",
        False,
    ),
    ("shared_focus", "A shared focus on care and work", "arbeidscoach", False),
    ("vulnerability_background", "The psychological vulnerability is not in the foreground", "gtb", False),
    ("disability_expertise", "Expertise in the integration of people with a work disability", "gtb", False),
    ("intensive_work", "More intensive follow-up and support focused on work", "gtb", False),
    ("unclear_lead", "It is unclear which service should lead", "case_team", True),
    ("broad_support", "Intensive or broadly carried support is needed", "case_team", True),
]


def forward(apps, schema_editor):
    Version = apps.get_model("network", "DraaiboekVersion")
    Indication = apps.get_model("network", "Indication")
    if Version.objects.exists():
        return
    now = timezone.now()
    version = Version.objects.create(number=1, status="published", created_at=now, published_at=now)
    Indication.objects.bulk_create(
        Indication(version=version, code=code, label=label, group=group, to_case_team=case_team, position=i)
        for i, (code, label, group, case_team) in enumerate(FIRST)
    )


def backward(apps, schema_editor):
    apps.get_model("network", "DraaiboekVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0006_draaiboek_versions")]
    operations = [migrations.RunPython(forward, backward)]
