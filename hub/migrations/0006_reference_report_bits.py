from django.db import migrations, models


def give_report_bits(apps, schema_editor):
    # In id order: the bits the report gave each row by its place before they were stored.
    for name in ("NeedPathway", "ConditionType"):
        model = apps.get_model("hub", name)
        for bit, row in enumerate(model.objects.order_by("id")):
            row.report_bit = bit
            row.save(update_fields=["report_bit"])


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0005_accesslog_drop_single_key_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="needpathway",
            name="report_bit",
            field=models.PositiveSmallIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="conditiontype",
            name="report_bit",
            field=models.PositiveSmallIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.RunPython(give_report_bits, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="needpathway",
            name="report_bit",
            field=models.PositiveSmallIntegerField(editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="conditiontype",
            name="report_bit",
            field=models.PositiveSmallIntegerField(editable=False, unique=True),
        ),
        migrations.AddConstraint(
            model_name="needpathway",
            constraint=models.CheckConstraint(
                condition=models.Q(report_bit__lt=63), name="needpathway_report_bit_in_mask"
            ),
        ),
        migrations.AddConstraint(
            model_name="conditiontype",
            constraint=models.CheckConstraint(
                condition=models.Q(report_bit__lt=63), name="conditiontype_report_bit_in_mask"
            ),
        ),
    ]
