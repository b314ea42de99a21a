"""National records (ImportBatch, ReoffenceRecord) come to hub from reporting (issue 15).

State only: the tables reporting_importbatch and reporting_reoffencerecord, created by
reporting 0001, keep their names, rows, indexes and constraints (see reporting 0002, which
also moved their content types and permissions).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0006_reference_report_bits"),
        # The tables exist (reporting 0001) and reporting no longer holds the models.
        ("reporting", "0002_national_records_to_hub"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
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
                            "kind",
                            models.CharField(
                                choices=[
                                    ("cases", "Historic cases"),
                                    ("reoffences", "Reoffence records"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "via",
                            models.CharField(
                                choices=[("command", "Management command"), ("upload", "Upload page")],
                                max_length=10,
                            ),
                        ),
                        ("file_name", models.CharField(max_length=255)),
                        ("operator", models.CharField(blank=True, max_length=100)),
                        ("imported_at", models.DateTimeField(auto_now_add=True)),
                        ("rows_in_file", models.PositiveIntegerField()),
                        ("rows_created", models.PositiveIntegerField()),
                        ("rows_already_present", models.PositiveIntegerField(default=0)),
                        ("people_created", models.PositiveIntegerField(default=0)),
                        ("conditions_created", models.PositiveIntegerField(default=0)),
                        (
                            "imported_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reporting_importbatch",
                        "ordering": ["-imported_at", "-id"],
                        "verbose_name_plural": "import batches",
                        "indexes": [
                            models.Index(
                                fields=["kind", "-imported_at"], name="importbatch_kind_at_idx"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ReoffenceRecord",
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
                            "person_ref",
                            models.CharField(
                                blank=True, max_length=20, null=True, verbose_name="PNC ID"
                            ),
                        ),
                        ("offence_date", models.DateField()),
                        ("proven_date", models.DateField()),
                        ("offence_category", models.CharField(max_length=50)),
                        (
                            "disposal",
                            models.CharField(
                                choices=[("conviction", "Conviction"), ("caution", "Caution")],
                                max_length=20,
                            ),
                        ),
                        (
                            "batch",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reoffences",
                                to="hub.importbatch",
                            ),
                        ),
                        (
                            "person",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reoffences",
                                to="hub.person",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reporting_reoffencerecord",
                        "ordering": ["offence_date", "id"],
                        "indexes": [
                            models.Index(
                                fields=["person", "offence_date"],
                                name="reoffence_person_date_idx",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=(
                                    "person_ref",
                                    "offence_date",
                                    "proven_date",
                                    "offence_category",
                                ),
                                name="reoffence_unique_record",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(proven_date__gte=models.F("offence_date")),
                                name="reoffence_proven_after_offence",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(disposal__in=["conviction", "caution"]),
                                name="reoffence_disposal_known",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
