# The trajectory type is network reference data now (network 0002): rename its table, point the
# foreign keys at the network's model, and forget the old one. No row changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0003_alter_ladderposition_options_and_more"),
        ("network", "0002_trajectorytype"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="TrajectoryType", table="network_trajectorytype"),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="trajectory",
                    name="type",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="network.trajectorytype", verbose_name="type"
                    ),
                ),
                migrations.AlterField(
                    model_name="handover",
                    name="new_type",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="network.trajectorytype",
                        verbose_name="new trajectory type",
                    ),
                ),
                migrations.DeleteModel(name="TrajectoryType"),
            ],
        ),
    ]
