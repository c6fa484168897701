# The data revision moves from states to core with its table and its row: only Django's
# record of which app owns the model changes (states.0003 drops it from states).

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("states", "0001_initial"),  # which created the table states_datarevision
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataRevision",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("number", models.PositiveBigIntegerField(default=0)),
                        ("changed_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={"db_table": "states_datarevision"},
                ),
            ],
            database_operations=[],
        ),
    ]
