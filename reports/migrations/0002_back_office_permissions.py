"""What the back-office groups may do with obligations, submissions and flags."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SPMU_EDITORS = "SPMU editors"
DELEGATION_VIEWERS = "Delegation viewers"

# (model, permissions editors get); viewers get "view" on each. Editors change an
# obligation's grace period only, record submissions, and may run the compliance check.
REPORT_MODELS = [
    ("obligation", ["change"]),
    ("copsession", []),
    ("submission", ["add", "change", "delete"]),
    ("complianceflag", ["run_compliance_check"]),
]


def _codename(action, model):
    return action if action == "run_compliance_check" else f"{action}_{model}"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("reports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=SPMU_EDITORS)
    viewers, _ = Group.objects.get_or_create(name=DELEGATION_VIEWERS)
    for model, actions in REPORT_MODELS:
        for action in ["view", *actions]:
            permission = Permission.objects.get(
                content_type__app_label="reports", codename=_codename(action, model)
            )
            editors.permissions.add(permission)
            if action == "view":
                viewers.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=[SPMU_EDITORS, DELEGATION_VIEWERS]):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="reports")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_catalogue_submissions_flags"),
        ("instruments", "0002_back_office_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
