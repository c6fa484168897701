"""Drop the table django-rest-knox's own migrations create for its default token model.

The tracker swaps that model for core.ApiToken (KNOX_TOKEN_MODEL), yet knox's 0001 creates
``knox_authtoken`` regardless, with a foreign key to auth_user and no model behind it: nothing
uses it, and on PostgreSQL it makes every ``flush`` (TRUNCATE auth_user) fail. Going back makes
it again (empty), so that knox's own migrations can be unapplied after this one.
"""

from django.db import migrations


def knox_table_drop(apps, schema_editor) -> None:
    model = apps.get_model("knox", "AuthToken")
    if model._meta.db_table in schema_editor.connection.introspection.table_names():
        schema_editor.delete_model(model)


def knox_table_create(apps, schema_editor) -> None:
    schema_editor.create_model(apps.get_model("knox", "AuthToken"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_events"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunPython(knox_table_drop, knox_table_create),
    ]
