from django.db import migrations


def create(apps, schema_editor):
    RuleSettings = apps.get_model("cautions", "RuleSettings")
    RuleSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("cautions", "0002_workflow_records")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
