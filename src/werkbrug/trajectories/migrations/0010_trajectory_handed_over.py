from django.db import migrations, models


def mark_handed_over(apps, schema_editor):
    """Every trajectory with an accepted handover, as accept_handover() marks them from now on."""
    Trajectory = apps.get_model("trajectories", "Trajectory")
    Handover = apps.get_model("trajectories", "Handover")
    accepted = Handover.objects.filter(status="accepted").values("trajectory_id")
    Trajectory.objects.filter(pk__in=accepted).update(handed_over=True)


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0009_generic_plan_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="trajectory",
            name="handed_over",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_handed_over, migrations.RunPython.noop),
        # SQLite adds the column by building the table anew, which drops its planner statistics:
        # without them the funder's work-care report ran for more than ten minutes at full scale
        # (s41). Both engines take this statement; on PostgreSQL it counts the updated rows.
        migrations.RunSQL("ANALYZE trajectories_trajectory", migrations.RunSQL.noop),
    ]
