"""SPMU editors record competent authority designations in the back office; delegation
viewers may see them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SPMU_EDITORS = "SPMU editors"
DELEGATION_VIEWERS = "Delegation viewers"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("reports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=SPMU_EDITORS)
    viewers, _ = Group.objects.get_or_create(name=DELEGATION_VIEWERS)
    for action in ["view", "add", "change", "delete"]:
        permission = Permission.objects.get(
            content_type__app_label="reports", codename=f"{action}_authoritydesignation"
        )
        editors.permissions.add(permission)
        if action == "view":
            viewers.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=[SPMU_EDITORS, DELEGATION_VIEWERS]):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="reports", codename__endswith="_authoritydesignation"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_authority_designation")]

    operations = [migrations.RunPython(grant, revoke)]
