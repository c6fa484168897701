"""The back-office groups: SPMU editors enter treaty data, Delegation viewers look."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SPMU_EDITORS = "SPMU editors"
DELEGATION_VIEWERS = "Delegation viewers"

# (app label, model, actions editors get); viewers get "view" on each.
TREATY_MODELS = [
    ("states", "participant", ["add", "change"]),
    ("states", "participantalias", ["add", "change", "delete"]),
    ("instruments", "instrument", ["change"]),
    ("instruments", "treatyaction", ["add", "change", "delete"]),
    ("instruments", "declaration", ["add", "change", "delete"]),
]


def make_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the groups
    # can hold them on a fresh database.
    for app_label in ("states", "instruments"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=SPMU_EDITORS)
    viewers, _ = Group.objects.get_or_create(name=DELEGATION_VIEWERS)
    for app_label, model, actions in TREATY_MODELS:
        for action in ["view", *actions]:
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=f"{action}_{model}"
            )
            editors.permissions.add(permission)
            if action == "view":
                viewers.permissions.add(permission)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[SPMU_EDITORS, DELEGATION_VIEWERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0001_initial"),
        ("states", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(make_groups, remove_groups)]
