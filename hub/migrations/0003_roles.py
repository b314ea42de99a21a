"""The five roles as groups. Their permissions are applied after every migrate by
hub.roles.sync_role_permissions, so that permissions created by later apps reach them."""

from django.db import migrations

ROLES = [
    "Police officer",
    "Authorising officer",
    "Support caseworker",
    "OPCC analyst",
    "Administrator",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("hub", "0002_reference_data"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
