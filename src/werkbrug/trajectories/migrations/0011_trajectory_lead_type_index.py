from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0010_trajectory_handed_over"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="trajectory",
            index=models.Index(fields=["lead_organisation", "type"], name="trajectorie_lead_or_d2df40_idx"),
        ),
        # SQLite's planner has no statistics for an index until ANALYZE; both engines take this.
        migrations.RunSQL("ANALYZE trajectories_trajectory", migrations.RunSQL.noop),
    ]
