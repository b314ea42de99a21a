"""Each access-log entry keeps the user name it was written under (issue 17 point 15).

Entries written before this migration get the account's current name: the names they were
written under were not kept, and the current one is the best evidence left.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_current_names(apps, schema_editor):
    AccessLog = apps.get_model("hub", "AccessLog")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    current = User.objects.filter(pk=OuterRef("user_id")).values("username")[:1]
    AccessLog.objects.filter(user__isnull=False).update(username=Subquery(current))


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0008_retention_decision_to_cautions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="username",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.RunPython(copy_current_names, migrations.RunPython.noop),
    ]
