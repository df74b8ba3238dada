# Handover.from_type: the trajectory's type when a handover was proposed (issue 12 point 5: reports
# count a trajectory under the type it had at a date). Older rows are filled from the history:
# - an accepted handover's previous type is the new type of the accepted handover before it;
# - the first accepted one's previous type is the type the trajectory started with, as its "started"
#   event names it (TrajectoryEvent.detail holds the type's name); else the referral line's default
#   type; else, when neither says, the handover's own new type (no change of type assumed);
# - a proposed, declined or withdrawn handover gets the type the trajectory had when it was proposed,
#   by the same chain.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def backfill_from_type(apps, schema_editor):
    Handover = apps.get_model("trajectories", "Handover")
    Trajectory = apps.get_model("trajectories", "Trajectory")
    TrajectoryEvent = apps.get_model("trajectories", "TrajectoryEvent")
    TrajectoryType = apps.get_model("network", "TrajectoryType")
    by_name = {name: pk for pk, name in TrajectoryType.objects.values_list("pk", "name")}
    by_code = {code: pk for pk, code in TrajectoryType.objects.values_list("pk", "code")}
    trajectory_ids = Handover.objects.values_list("trajectory_id", flat=True).distinct()
    started = {
        trajectory_id: by_name.get(detail)
        for trajectory_id, detail in TrajectoryEvent.objects.filter(
            kind="started", trajectory_id__in=trajectory_ids
        ).values_list("trajectory_id", "detail")
    }
    line_default = {
        pk: by_code.get(code or "")
        for pk, code in Trajectory.objects.filter(pk__in=trajectory_ids).values_list(
            "pk", "referral__line__default_trajectory_type"
        )
    }
    handovers: dict[int, list] = {}
    for handover in Handover.objects.order_by("trajectory_id", "proposed_at", "pk"):
        handovers.setdefault(handover.trajectory_id, []).append(handover)
    for trajectory_id, rows in handovers.items():
        accepted = sorted(
            (h for h in rows if h.status == "accepted" and h.decided_at is not None),
            key=lambda h: (h.decided_at, h.pk),
        )
        first_type = started.get(trajectory_id) or line_default.get(trajectory_id)
        if first_type is None:
            first_type = accepted[0].new_type_id if accepted else rows[0].new_type_id
        for handover in rows:
            before = [
                h
                for h in accepted
                if (h.decided_at, h.pk)
                < (
                    (handover.decided_at, handover.pk)
                    if handover in accepted
                    else (handover.proposed_at, handover.pk)
                )
            ]
            handover.from_type_id = before[-1].new_type_id if before else first_type
            handover.save(update_fields=["from_type"])


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_researcher_role"),
        ("trajectories", "0004_trajectorytype_to_network"),
        ("referrals", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="handover",
            name="from_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="network.trajectorytype",
                verbose_name="previous trajectory type",
            ),
        ),
        migrations.AddIndex(
            model_name="handover",
            index=models.Index(fields=["trajectory", "status", "decided_at"], name="handover_history_idx"),
        ),
        migrations.RunPython(backfill_from_type, migrations.RunPython.noop),
    ]
