"""The value of the loss or damage on an offence: what a compensation condition is measured
against (issue 10 point 7)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hub', '0012_organisation_contact_details'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaloffence',
            name='loss_value',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='In pounds; empty when there is none or it is not known', max_digits=9, null=True, verbose_name='value of the loss or damage'),
        ),
        migrations.AddField(
            model_name='offence',
            name='loss_value',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='In pounds; empty when there is none or it is not known', max_digits=9, null=True, verbose_name='value of the loss or damage'),
        ),
        migrations.AddConstraint(
            model_name='offence',
            constraint=models.CheckConstraint(condition=models.Q(('loss_value__isnull', True), ('loss_value__gte', 0), _connector='OR'), name='offence_loss_value_not_negative'),
        ),
    ]
