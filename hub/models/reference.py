"""Reference data: editable by administrators, keyed by the stable keys in DOMAIN.md.

Rows are retired (active=False), never deleted while in use: every foreign key to them is PROTECT.
"""

from django.core.exceptions import ValidationError
from django.db import models

# Bits 0..62 of a signed 64-bit integer: the cases' report masks (cautions.Case).
REPORT_BITS = 63


class ReportBit(models.Model):
    """A bit of its own in the report masks that cautions.Case keeps of its condition types
    and assessed need pathways (reporting.report_sql groups cases by those masks).

    Given on creation (the lowest free), never changed: the masks stored on the cases hold
    it. A row can be deleted only when no case uses it (PROTECT), so a freed bit is in no
    mask and can be given again. At most REPORT_BITS rows per table: reference lists of the
    guidance's size (16 condition types, 9 pathways) are far from it.
    """

    report_bit = models.PositiveSmallIntegerField(unique=True, editable=False)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report_bit__lt=REPORT_BITS),
                name="%(class)s_report_bit_in_mask",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.report_bit is None:
            self.report_bit = free_report_bit(type(self))
        super().save(*args, **kwargs)

    def clean(self):
        # In a form (the admin), the refusal of a 64th row at the form, not as a server error.
        super().clean()
        if self.report_bit is None:
            free_report_bit(type(self))


def free_report_bit(model) -> int:
    used = set(model.objects.values_list("report_bit", flat=True))
    free = next((bit for bit in range(REPORT_BITS) if bit not in used), None)
    if free is None:
        raise ValidationError(
            f"No more than {REPORT_BITS} {model._meta.verbose_name_plural} can exist: "
            "retire one that is no longer used instead of adding another."
        )
    return free


class ModeOfTrial(models.TextChoices):
    SUMMARY = "summary", "Summary only"
    EITHER_WAY = "either_way", "Either way"
    INDICTABLE_ONLY = "indictable_only", "Indictable only"


class District(models.Model):
    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OffenceCategory(models.Model):
    key = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=100)
    mode_of_trial = models.CharField(max_length=20, choices=ModeOfTrial.choices)
    default_gravity = models.PositiveSmallIntegerField()
    # Durham Checkpoint's excluded types (hate crime, serious violence, sexual, driving).
    excluded = models.BooleanField(default=False, help_text="Never eligible for a caution")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]
        verbose_name_plural = "offence categories"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_gravity__gte=1, default_gravity__lte=4),
                name="offence_category_gravity_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class NeedPathway(ReportBit):
    key = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=100)
    sort_order = models.PositiveSmallIntegerField(default=0)
    # The seven national pathways are core; extras (e.g. for women) can be added or retired.
    is_extra = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta(ReportBit.Meta):
        ordering = ["sort_order", "label"]

    def __str__(self) -> str:
        return self.label


class ConditionObject(models.TextChoices):
    REHABILITATION = "rehabilitation", "Rehabilitation"
    REPARATION = "reparation", "Reparation"
    PUNISHMENT = "punishment", "Punishment"
    # Restrictive conditions serve the other objects and are allowed only alongside one.
    RESTRICTIVE = "restrictive", "Restrictive"


class ConditionType(ReportBit):
    key = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=100)
    object = models.CharField(max_length=20, choices=ConditionObject.choices)
    pathway = models.ForeignKey(
        NeedPathway, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    needs_provider = models.BooleanField(default=False)
    needs_victim_consent = models.BooleanField(default=False)
    has_amount = models.BooleanField(default=False, help_text="Takes an amount in pounds")
    has_hours = models.BooleanField(default=False, help_text="Takes a number of hours")
    counts_towards_hours_cap = models.BooleanField(
        default=False, help_text="Punitive attendance: counts towards the 20-hour cap"
    )
    capped_by_mode_of_trial = models.BooleanField(
        default=False, help_text="Financial penalty: capped at £50 / £100 / £150"
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False, help_text="Retired types cannot be chosen")

    class Meta(ReportBit.Meta):
        ordering = ["sort_order", "label"]

    def __str__(self) -> str:
        return self.label
