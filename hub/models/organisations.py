from django.conf import settings
from django.db import models


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE_FORCE = "police_force", "Police force"
        SUPPORT_PROVIDER = "support_provider", "Support provider"
        OPCC = "opcc", "Office of the Police and Crime Commissioner"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Rank(models.TextChoices):
    CONSTABLE = "constable", "Police Constable"
    SERGEANT = "sergeant", "Sergeant"
    INSPECTOR = "inspector", "Inspector"
    CHIEF_INSPECTOR = "chief_inspector", "Chief Inspector"
    SUPERINTENDENT = "superintendent", "Superintendent"


# DPP guidance: the authorised person is a sergeant or above.
AUTHORISING_RANKS = frozenset(
    {Rank.SERGEANT, Rank.INSPECTOR, Rank.CHIEF_INSPECTOR, Rank.SUPERINTENDENT}
)


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff")
    rank = models.CharField(max_length=20, choices=Rank.choices, blank=True)
    collar_number = models.CharField(max_length=20, blank=True)
    job_title = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.organisation})"
