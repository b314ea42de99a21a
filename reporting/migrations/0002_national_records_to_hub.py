"""National records (ImportBatch, ReoffenceRecord) move to hub (issue 15): state only here.

The tables keep their names and rows (hub 0007 takes the models over with db_table set). The
permissions declared on ImportBatch (view_dashboard, export_aggregates, import_data) stay the
reporting app's: their rows move to the content type of reporting.ReportingAccess, so groups
and users keep them under the same names. The models' own content types become hub's, with
their default permissions. On a new database there are no content types yet: nothing moves.
"""

from django.db import migrations, models

REPORTING_PERMISSIONS = ["view_dashboard", "export_aggregates", "import_data"]
MOVED_MODELS = ["importbatch", "reoffencerecord"]


def _relabel(ContentType, model: str, old_app: str, new_app: str) -> None:
    if not ContentType.objects.filter(app_label=new_app, model=model).exists():
        ContentType.objects.filter(app_label=old_app, model=model).update(app_label=new_app)


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    batch_type = ContentType.objects.filter(app_label="reporting", model="importbatch").first()
    if batch_type is not None:
        access_type, _ = ContentType.objects.get_or_create(
            app_label="reporting", model="reportingaccess"
        )
        Permission.objects.filter(
            content_type=batch_type, codename__in=REPORTING_PERMISSIONS
        ).update(content_type=access_type)
    for model in MOVED_MODELS:
        _relabel(ContentType, model, "reporting", "hub")


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MOVED_MODELS:
        _relabel(ContentType, model, "hub", "reporting")
    batch_type = ContentType.objects.filter(app_label="reporting", model="importbatch").first()
    access_type = ContentType.objects.filter(app_label="reporting", model="reportingaccess").first()
    if batch_type is not None and access_type is not None:
        Permission.objects.filter(
            content_type=access_type, codename__in=REPORTING_PERMISSIONS
        ).update(content_type=batch_type)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_reoffence_records_and_import_batches"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportingAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
            ],
            options={
                "managed": False,
                "default_permissions": (),
                "permissions": [
                    ("view_dashboard", "Can view the reporting dashboard (aggregates only)"),
                    ("export_aggregates", "Can download the dashboard's aggregate tables"),
                    ("import_data", "Can import historic cases and reoffence records"),
                ],
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReoffenceRecord"),
                migrations.DeleteModel(name="ImportBatch"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
