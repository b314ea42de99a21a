"""The counters of the report's data version (reporting.data_version, docs/adr/0007).

Their triggers on the tables the report reads are installed after every migrate and flush
(post_migrate), not here: on SQLite a later migration that rebuilds one of those tables would
drop them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0005_import_jobs'),
    ]

    operations = [
        migrations.CreateModel(
            name='DataChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(max_length=63)),
                ('changes', models.BigIntegerField(default=0)),
            ],
            options={
                'indexes': [models.Index(fields=['source', 'id'], name='datachange_source_idx')],
            },
        ),
    ]
