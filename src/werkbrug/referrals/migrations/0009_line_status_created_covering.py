from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0008_generic_plan_indexes"),
    ]

    # The new index first: the screener's inbox and the reports keep an index while the old one goes.
    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["line", "status", "created_at"],
                include=["id", "channel", "referring_organisation"],
                name="referrals_line_status_created",
            ),
        ),
        migrations.RemoveIndex(
            model_name="referral",
            name="referrals_r_line_id_a2bea2_idx",
        ),
        # SQLite's planner has no statistics for an index until ANALYZE; both engines take this.
        migrations.RunSQL("ANALYZE referrals_referral", migrations.RunSQL.noop),
    ]
