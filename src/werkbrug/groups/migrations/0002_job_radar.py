from django.db import migrations


def seed(apps, schema_editor):
    from werkbrug.groups.defaults import ensure_job_radar

    ensure_job_radar(apps.get_model("groups", "ModuleTemplate"), apps.get_model("groups", "ModulePhase"))


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
