"""SPMU editors keep the depositary's checkpoints and the open questions; viewers look."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SPMU_EDITORS = "SPMU editors"
DELEGATION_VIEWERS = "Delegation viewers"
MODELS = ["depositarycheckpoint", "openquestion"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("instruments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=SPMU_EDITORS)
    viewers, _ = Group.objects.get_or_create(name=DELEGATION_VIEWERS)
    for model in MODELS:
        for action in ["view", "add", "change", "delete"]:
            permission = Permission.objects.get(
                content_type__app_label="instruments", codename=f"{action}_{model}"
            )
            editors.permissions.add(permission)
            if action == "view":
                viewers.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    codenames = [f"{a}_{m}" for m in MODELS for a in ["view", "add", "change", "delete"]]
    for group in Group.objects.filter(name__in=[SPMU_EDITORS, DELEGATION_VIEWERS]):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="instruments", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0006_depositary_checkpoints_open_questions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
