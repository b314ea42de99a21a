# The Home Office crime outcome (Counting Rules): 3 once the caution is given, 1 once the
# prosecution resumes. Past cases get theirs from their status.

from importlib import import_module

from django.db import migrations, models

CAUTIONED = ["active", "breach", "complied", "failed_nfa", "failed"]


def from_status(apps, schema_editor):
    Case = apps.get_model("cautions", "Case")
    Case.objects.filter(status__in=CAUTIONED).update(crime_outcome=3)
    Case.objects.filter(status="prosecution_resumed").update(crime_outcome=1)


def _mask_triggers():
    # SQLite rebuilds cautions_case to add a column with a default or a constraint, and its
    # rename trips over the report-mask triggers that name the table (cautions 0007): they
    # are dropped around the rebuild and installed again (masks refreshed). PostgreSQL alters
    # the table in place.
    return import_module("cautions.migrations.0007_case_report_mask_triggers")


def sqlite_triggers_off(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _mask_triggers().uninstall(apps, schema_editor)


def sqlite_triggers_on(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _mask_triggers().install(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('cautions', '0011_case_court_outcome_kind'),
    ]

    operations = [
        migrations.RunPython(sqlite_triggers_off, sqlite_triggers_on),
        migrations.AddField(
            model_name='case',
            name='crime_outcome',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Outcome 1: charged or summonsed'), (3, 'Outcome 3: adult caution')], help_text="Home Office crime outcome, for the force's crime recording", null=True),
        ),
        migrations.AddField(
            model_name='historicalcase',
            name='crime_outcome',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Outcome 1: charged or summonsed'), (3, 'Outcome 3: adult caution')], help_text="Home Office crime outcome, for the force's crime recording", null=True),
        ),
        migrations.RunPython(from_status, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=models.Q(('crime_outcome__isnull', True), ('crime_outcome__in', [1, 3]), _connector='OR'), name='case_crime_outcome_known'),
        ),
        migrations.RunPython(sqlite_triggers_on, sqlite_triggers_off),
    ]
