# GGZ contact becomes a dated fact (issue 12 point 5): GgzContact periods. Every client with the flag
# on gets an open period since the earliest day the record knows of the client: the day it was
# registered, or the day of an earlier consent (a caseload import registers people with consents
# given before the import). The old reports counted the flag for every period, so this keeps the
# figures of every period since then as they were.

import django.db.models.deletion
import django.utils.timezone
import datetime

from django.db import migrations, models
from django.db.models import Min
from django.utils import timezone


def open_periods(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    GgzContact = apps.get_model("clients", "GgzContact")
    rows = []
    clients = Client.objects.filter(ggz_contact=True).annotate(first_consent=Min("consents__given_on"))
    for client in clients.iterator(chunk_size=2000):
        since = timezone.localtime(client.created_at).date()
        if client.first_consent is not None and client.first_consent < since:
            since = client.first_consent
        # Known since then: a report as of an earlier date counts the period as the flag did.
        known = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        rows.append(GgzContact(client_id=client.pk, since=since, recorded_at=min(known, client.created_at)))
    GgzContact.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0004_client_erased_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="GgzContact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("since", models.DateField(verbose_name="in contact since")),
                ("until", models.DateField(blank=True, null=True, verbose_name="in contact until")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ggz_periods",
                        to="clients.client",
                    ),
                ),
            ],
            options={
                "verbose_name": "GGZ contact period",
                "verbose_name_plural": "GGZ contact periods",
                "ordering": ["client", "since", "pk"],
                "indexes": [models.Index(fields=["client", "since"], name="clients_ggz_client__ff5293_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("until__isnull", True), ("until__gte", models.F("since")), _connector="OR"
                        ),
                        name="ggz_period_dates",
                    )
                ],
            },
        ),
        migrations.RunPython(open_periods, migrations.RunPython.noop),
    ]
