from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0009_line_status_created_covering"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["line", "status", "decided_at", "created_at"], name="referrals_line_status_decided"
            ),
        ),
        # SQLite's planner has no statistics for an index until ANALYZE; both engines take this.
        migrations.RunSQL("ANALYZE referrals_referral", migrations.RunSQL.noop),
    ]
