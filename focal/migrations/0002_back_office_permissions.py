"""SPMU editors invite focal points, switch them off, and review their submissions. Delegation
viewers see nothing of them: the records hold personal contact details."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SPMU_EDITORS = "SPMU editors"
# (model, permission codenames) granted to SPMU editors.
EDITOR_GRANTS = [
    ("invitation", ["view_invitation", "add_invitation"]),
    ("focalpoint", ["view_focalpoint", "change_focalpoint"]),
    ("focalsubmission", ["view_focalsubmission", "review_focalsubmission"]),
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("focal")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=SPMU_EDITORS)
    for _model, codenames in EDITOR_GRANTS:
        for codename in codenames:
            editors.permissions.add(
                Permission.objects.get(content_type__app_label="focal", codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=SPMU_EDITORS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="focal"))


class Migration(migrations.Migration):
    dependencies = [("focal", "0001_initial"), ("instruments", "0002_back_office_groups")]

    operations = [migrations.RunPython(grant, revoke)]
