# The trajectory type moves from trajectories to network (reference data, docs/architecture.md).
# Here only Django's state learns of it; trajectories 0004 renames the table and forgets its own.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("trajectories", "0003_alter_ladderposition_options_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TrajectoryType",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.SlugField(max_length=30, unique=True, verbose_name="code")),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        ("capacity_per_fte", models.PositiveSmallIntegerField(default=35, verbose_name="dossiers per FTE")),
                    ],
                    options={
                        "verbose_name": "trajectory type",
                        "verbose_name_plural": "trajectory types",
                        "ordering": ["name"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
