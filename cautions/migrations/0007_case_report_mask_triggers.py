from django.db import migrations

from cautions import report_masks


# The trigger SQL lives in cautions.report_masks, next to the refresh that does the same
# work; a later change to it needs a migration of its own to reach existing databases.


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in report_masks.install_triggers_sql(vendor):
        schema_editor.execute(statement, params=None)
    report_masks.refresh(connection=schema_editor.connection)


def uninstall(apps, schema_editor):
    for statement in report_masks.drop_triggers_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cautions", "0006_case_report_masks"),
        ("hub", "0006_reference_report_bits"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
