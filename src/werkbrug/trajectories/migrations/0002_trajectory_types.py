from django.db import migrations

# Capacity norms: a full-time arbeidscoach carries 35-40 intensive dossiers (seed 000 L254);
# an IPS work-only coach at most 20 active clients (seed 003).
TYPES = [
    ("arbeidscoach", "Arbeidscoach-voortraject", 35),
    ("gtb", "GTB-trajectbegeleiding", 40),
    ("ips", "IPS", 20),
    ("dcm", "Disability case management (DCM)", 25),
    ("arbeidszorg", "Arbeidszorg", 30),
    ("outreach", "Coach werk op de vindplaats", 40),
    ("vdab", "VDAB-begeleiding", 40),
    ("gob", "GOB-jobcoaching", 30),
]


def add_types(apps, schema_editor):
    TrajectoryType = apps.get_model("trajectories", "TrajectoryType")
    for code, name, capacity in TYPES:
        TrajectoryType.objects.get_or_create(code=code, defaults={"name": name, "capacity_per_fte": capacity})


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0001_initial")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
