# The court outcome of a resumed prosecution becomes structured: convicted (with the sentence),
# acquitted, discontinued, or other (with the text). Existing free text is kept as "other".

from importlib import import_module

from django.db import migrations, models


def existing_text_is_other(apps, schema_editor):
    Case = apps.get_model("cautions", "Case")
    Case.objects.exclude(court_outcome="").update(court_outcome_kind="other")


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
        ('cautions', '0010_eligibility_single_failed_rule'),
    ]

    operations = [
        migrations.RunPython(sqlite_triggers_off, sqlite_triggers_on),
        migrations.AddField(
            model_name='case',
            name='court_outcome_kind',
            field=models.CharField(blank=True, choices=[('convicted', 'Convicted'), ('acquitted', 'Acquitted'), ('discontinued', 'Discontinued'), ('other', 'Other')], db_default='', default='', max_length=20),
        ),
        migrations.AddField(
            model_name='historicalcase',
            name='court_outcome_kind',
            field=models.CharField(blank=True, choices=[('convicted', 'Convicted'), ('acquitted', 'Acquitted'), ('discontinued', 'Discontinued'), ('other', 'Other')], db_default='', default='', max_length=20),
        ),
        migrations.RunPython(existing_text_is_other, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=models.Q(('court_outcome_kind__in', ['', 'convicted', 'acquitted', 'discontinued', 'other'])), name='case_court_outcome_kind_known'),
        ),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('court_outcome_kind__in', ['convicted', 'other']), _negated=True), models.Q(('court_outcome', ''), _negated=True), _connector='OR'), name='case_court_outcome_details_recorded'),
        ),
        migrations.RunPython(sqlite_triggers_on, sqlite_triggers_off),
    ]
