"""Every referral made before the draaiboek had versions was triaged under version 1."""

from django.db import migrations


def forward(apps, schema_editor):
    Version = apps.get_model("network", "DraaiboekVersion")
    Referral = apps.get_model("referrals", "Referral")
    first = Version.objects.filter(number=1).first()
    if first is not None:
        Referral.objects.filter(draaiboek__isnull=True).update(draaiboek=first)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0003_draaiboek_versions"),
        ("network", "0007_draaiboek_version_1"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
