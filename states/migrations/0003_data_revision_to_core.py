# The data revision now belongs to core (core.0001 took it over with its table): states
# forgets the model without touching the table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("states", "0002_participant_version"),
        ("core", "0001_data_revision_from_states"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DataRevision")],
            database_operations=[],
        ),
    ]
