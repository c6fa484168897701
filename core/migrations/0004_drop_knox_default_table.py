"""Drop the table django-rest-knox's own migrations create for its default token model.

The tracker swaps that model for core.ApiToken (KNOX_TOKEN_MODEL), yet knox's 0001 creates
``knox_authtoken`` regardless, with a foreign key to auth_user and no model behind it: nothing
uses it, and on PostgreSQL it makes every ``flush`` (TRUNCATE auth_user) fail.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_events"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS knox_authtoken", migrations.RunSQL.noop),
    ]
