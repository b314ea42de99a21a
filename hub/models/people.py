from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from hub.lib import pnc
from hub.models.reference import District
from hub.validators import name_character_errors

# Police 18+1 self-defined ethnicity codes, reported in the five ONS groups plus Not stated.
ETHNICITY_CODES = {
    "W1": "White: British",
    "W2": "White: Irish",
    "W3": "White: Gypsy or Irish Traveller",
    "W9": "White: any other White background",
    "M1": "Mixed: White and Black Caribbean",
    "M2": "Mixed: White and Black African",
    "M3": "Mixed: White and Asian",
    "M9": "Mixed: any other Mixed background",
    "A1": "Asian: Indian",
    "A2": "Asian: Pakistani",
    "A3": "Asian: Bangladeshi",
    "A4": "Asian: Chinese",
    "A9": "Asian: any other Asian background",
    "B1": "Black: Caribbean",
    "B2": "Black: African",
    "B9": "Black: any other Black background",
    "O1": "Other: Arab",
    "O9": "Other: any other ethnic group",
    "NS": "Not stated",
}
ETHNICITY_GROUPS = {"W": "White", "M": "Mixed", "A": "Asian", "B": "Black", "O": "Other"}
NOT_STATED_GROUP = "Not stated"


def ethnicity_group(code: str) -> str:
    return ETHNICITY_GROUPS.get(code[:1], NOT_STATED_GROUP) if code != "NS" else NOT_STATED_GROUP


class Sex(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"
    NOT_STATED = "not_stated", "Not stated"


class PersonQuerySet(models.QuerySet):
    def current(self):
        """People not merged into another record (searches and lists show these only)."""
        return self.filter(merged_into__isnull=True)

    def merge_family_ids(self, pk: int) -> set[int]:
        """The ids of a person and of every record merged with them (the record they were
        merged into, or those merged into them): the access log searched by any of them finds
        the entries of all (DECISIONS: a merge never rewrites the log). Merges are one level
        deep (records.services refuses to merge a record others were merged into)."""
        rows = self.filter(
            models.Q(pk=pk) | models.Q(merged_into=pk) | models.Q(merged_people=pk)
        ).values_list("pk", "merged_into")
        ids = {pk}
        for person_id, into in rows:
            ids.add(person_id)
            if into:
                ids.add(into)
        if len(ids) > 1:
            ids |= set(self.filter(merged_into__in=ids).values_list("pk", flat=True))
        return ids

    def search(self, *, name: str = "", pnc_id: str = "", date_of_birth=None):
        qs = self
        for part in name.split():
            qs = qs.filter(
                models.Q(first_name__icontains=part) | models.Q(last_name__icontains=part)
            )
        if pnc_id:
            # As typed, or in the canonical form the hub stores (16/123456J is 16/0123456J).
            written = models.Q(pnc_id__iexact=pnc_id.strip())
            if pnc.is_valid(pnc_id):
                written |= models.Q(pnc_id=pnc.normalise(pnc_id))
            qs = qs.filter(written)
        if date_of_birth:
            qs = qs.filter(date_of_birth=date_of_birth)
        return qs


class Person(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    # Null only once the record is anonymised at retention review.
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.NOT_STATED)
    ethnicity = models.CharField(
        "self-defined ethnicity",
        max_length=2,
        choices=sorted(ETHNICITY_CODES.items()),
        default="NS",
    )
    pnc_id = models.CharField("PNC ID", max_length=20, null=True, blank=True, unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # Set when this record was found to be a duplicate and merged into another (records.merge):
    # it stays, so that the access log and history written about it keep their person, but
    # searches and lists leave it out and its page leads to the record kept.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_people"
    )

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "people"
        indexes = [
            # Person search by surname (officer's search page).
            models.Index(fields=["last_name", "first_name"], name="person_name_idx"),
            # Person search by date of birth.
            models.Index(fields=["date_of_birth"], name="person_dob_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymised_at__isnull=False)
                | models.Q(date_of_birth__isnull=False),
                name="person_dob_required_unless_anonymised",
            ),
            models.CheckConstraint(
                condition=models.Q(anonymised_at__isnull=True)
                | models.Q(date_of_birth__isnull=True, pnc_id__isnull=True),
                name="person_anonymised_has_no_identifiers",
            ),
            models.CheckConstraint(
                condition=models.Q(ethnicity__in=list(ETHNICITY_CODES)),
                name="person_ethnicity_known_code",
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=Sex.values), name="person_sex_known_value"
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="person_not_merged_into_self"
            ),
        ]

    # What full_name reads: the fields a list row of people needs (QuerySet.only()).
    NAME_FIELDS = ("first_name", "last_name", "anonymised_at")

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        # In clean() rather than as field validators: a migration may not import project code
        # (tests/crosscutting/test_migrations.py). full_clean() runs it for services and admin.
        name_character_errors(self, ("first_name", "last_name"))

    @property
    def full_name(self) -> str:
        return person_name(self.pk, self.first_name, self.last_name, self.anonymised_at)

    @property
    def ethnicity_group(self) -> str:
        return ethnicity_group(self.ethnicity)


def person_name(pk: int, first_name: str, last_name: str, anonymised_at) -> str:
    """How a person's name is shown (Person.full_name), from its columns (Person.NAME_FIELDS
    and the id) for lists read as values rather than instances."""
    if anonymised_at:
        return f"Anonymised person {pk}"
    return f"{first_name} {last_name}"
