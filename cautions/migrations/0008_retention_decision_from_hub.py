"""RetentionDecision comes to cautions from hub (issue 15): retention of cases belongs with
cases.

State only: the table hub_retentiondecision (created by hub 0004) keeps its name, rows, index
and constraints. Its content type becomes cautions', with its default permissions (no role
holds them; the page needs cautions.review_retention, which does not move). On a new database
there is no content type yet: nothing moves.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, old_app: str, new_app: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new_app, model="retentiondecision").exists():
        ContentType.objects.filter(app_label=old_app, model="retentiondecision").update(
            app_label=new_app
        )


def forwards(apps, schema_editor):
    _relabel(apps, "hub", "cautions")


def backwards(apps, schema_editor):
    _relabel(apps, "cautions", "hub")


class Migration(migrations.Migration):
    dependencies = [
        ("cautions", "0007_case_report_mask_triggers"),
        # hub no longer holds the model (the table exists since hub 0004).
        ("hub", "0008_retention_decision_to_cautions"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RetentionDecision",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "decision",
                            models.CharField(
                                choices=[("retain", "Retain"), ("dispose", "Dispose (anonymise)")],
                                max_length=10,
                            ),
                        ),
                        ("reason", models.TextField()),
                        (
                            "review_date",
                            models.DateField(
                                help_text="The review date the decision was made against"
                            ),
                        ),
                        ("next_review_date", models.DateField(blank=True, null=True)),
                        ("decided_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="retention_decisions",
                                to="cautions.case",
                            ),
                        ),
                        (
                            "decided_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "hub_retentiondecision",
                        "ordering": ["-decided_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["case", "-decided_at"], name="retention_case_at_idx"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(decision__in=["retain", "dispose"]),
                                name="retention_decision_known",
                            ),
                            models.CheckConstraint(
                                condition=~models.Q(reason=""), name="retention_has_reason"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(decision="retain", next_review_date__isnull=False)
                                | models.Q(decision="dispose", next_review_date__isnull=True),
                                name="retention_next_review_iff_retained",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
