"""Reference data: editable by administrators, keyed by the stable keys in DOMAIN.md.

Rows are retired (active=False), never deleted while in use: every foreign key to them is PROTECT.
"""

from django.db import models


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


class NeedPathway(models.Model):
    key = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=100)
    sort_order = models.PositiveSmallIntegerField(default=0)
    # The seven national pathways are core; extras (e.g. for women) can be added or retired.
    is_extra = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "label"]

    def __str__(self) -> str:
        return self.label


class ConditionObject(models.TextChoices):
    REHABILITATION = "rehabilitation", "Rehabilitation"
    REPARATION = "reparation", "Reparation"
    PUNISHMENT = "punishment", "Punishment"
    # Restrictive conditions serve the other objects and are allowed only alongside one.
    RESTRICTIVE = "restrictive", "Restrictive"


class ConditionType(models.Model):
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

    class Meta:
        ordering = ["sort_order", "label"]

    def __str__(self) -> str:
        return self.label
