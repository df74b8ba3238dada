from django.db import migrations

from werkbrug.network.defaults import ensure_default_types


def add_types(apps, schema_editor):
    ensure_default_types(apps.get_model("trajectories", "TrajectoryType"))


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0001_initial")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
