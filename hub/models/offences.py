from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from hub.lib.dates import long_date
from hub.models.people import Person
from hub.models.reference import District, ModeOfTrial, OffenceCategory


class Offence(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="offences")
    category = models.ForeignKey(OffenceCategory, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    offence_date = models.DateField()
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="offences")
    gravity_score = models.PositiveSmallIntegerField(
        help_text="NPCC gravity matrix: 1 (low) to 4 (high), after aggravating and mitigating factors"
    )
    gravity_rationale = models.TextField(blank=True)
    mode_of_trial = models.CharField(max_length=20, choices=ModeOfTrial.choices)
    domestic_abuse = models.BooleanField(default=False)
    hate_crime = models.BooleanField(default=False)
    victim_present = models.BooleanField("identifiable victim", default=False)
    # What a compensation condition is measured against (a higher amount needs a reason).
    loss_value = models.DecimalField(
        "value of the loss or damage",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="In pounds; empty when there is none or it is not known",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-offence_date", "-id"]
        indexes = [
            # Person page: a person's offences, newest first.
            models.Index(fields=["person", "-offence_date"], name="offence_person_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gravity_score__gte=1, gravity_score__lte=4),
                name="offence_gravity_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(mode_of_trial__in=ModeOfTrial.values),
                name="offence_mode_of_trial_known",
            ),
            models.CheckConstraint(
                condition=models.Q(loss_value__isnull=True) | models.Q(loss_value__gte=0),
                name="offence_loss_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} on {long_date(self.offence_date)}"
