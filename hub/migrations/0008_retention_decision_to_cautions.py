"""RetentionDecision moves to cautions (issue 15): state only here.

The table hub_retentiondecision keeps its name and rows; cautions 0008 takes the model over
(db_table set) and moves its content type.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("hub", "0007_national_records")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RetentionDecision")],
            database_operations=[],
        ),
    ]
