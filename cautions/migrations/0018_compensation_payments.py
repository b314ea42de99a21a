"""Compensation with a sense of proportion (issue 10 point 7): the reason a compensation
amount exceeds the value of the loss, and the ledger of payments against a compensation or
financial-penalty condition.

amount_reason is added by plain ALTER TABLE: Django's SQLite backend would rebuild the table for
a NOT NULL column, which drops the report-mask triggers on it (cautions 0007).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def add_column(apps, schema_editor):
    schema_editor.execute(
        "ALTER TABLE cautions_condition ADD COLUMN amount_reason text NOT NULL DEFAULT ''"
    )


def drop_column(apps, schema_editor):
    schema_editor.execute("ALTER TABLE cautions_condition DROP COLUMN amount_reason")


class Migration(migrations.Migration):

    dependencies = [
        ('cautions', '0017_variation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='condition',
                    name='amount_reason',
                    field=models.TextField(blank=True, db_default='', default=''),
                ),
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
        migrations.AddField(
            model_name='historicalcondition',
            name='amount_reason',
            field=models.TextField(blank=True, db_default='', default=''),
        ),
        migrations.CreateModel(
            name='Payment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=8)),
                ('paid_on', models.DateField()),
                ('method', models.CharField(choices=[('card', 'Card'), ('bank_transfer', 'Bank transfer'), ('cash', 'Cash'), ('cheque', 'Cheque'), ('other', 'Other')], max_length=20)),
                ('reference', models.CharField(blank=True, max_length=100)),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='cautions.case')),
                ('condition', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='cautions.condition')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['paid_on', 'id'],
                'indexes': [models.Index(fields=['case', 'condition'], name='payment_case_condition_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='payment_amount_positive'), models.CheckConstraint(condition=models.Q(('method__in', ['card', 'bank_transfer', 'cash', 'cheque', 'other'])), name='payment_method_known')],
            },
        ),
    ]
