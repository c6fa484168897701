"""Staff look at the alerts in the back office: SPMU editors and delegation viewers may view
the subscriptions (addresses masked), webhook endpoints, deliveries and their attempts; no
group adds, changes or deletes them (the services write them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SPMU_EDITORS = "SPMU editors"
DELEGATION_VIEWERS = "Delegation viewers"
MODELS = ["subscription", "webhookendpoint", "delivery", "attempt"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("alerts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    viewing = Permission.objects.filter(
        content_type__app_label="alerts", codename__in=[f"view_{model}" for model in MODELS]
    )
    assert viewing.count() == len(MODELS)
    for name in (SPMU_EDITORS, DELEGATION_VIEWERS):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*viewing)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    viewing = Permission.objects.filter(
        content_type__app_label="alerts", codename__in=[f"view_{model}" for model in MODELS]
    )
    for group in Group.objects.filter(name__in=[SPMU_EDITORS, DELEGATION_VIEWERS]):
        group.permissions.remove(*viewing)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_subscriptions"),
        ("instruments", "0002_back_office_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
