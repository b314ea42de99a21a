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
    # A support provider's address, phone and email, printed on the caution document.
    contact_details = models.TextField(blank=True)

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


# Lowest first: a rank is "X or above" by its place here.
RANK_ORDER = (
    Rank.CONSTABLE,
    Rank.SERGEANT,
    Rank.INSPECTOR,
    Rank.CHIEF_INSPECTOR,
    Rank.SUPERINTENDENT,
)
RANK_ABBREVIATIONS = {
    Rank.CONSTABLE: "PC",
    Rank.SERGEANT: "Sgt",
    Rank.INSPECTOR: "Insp",
    Rank.CHIEF_INSPECTOR: "Ch Insp",
    Rank.SUPERINTENDENT: "Supt",
}


def rank_at_least(rank: str, minimum: str) -> bool:
    """True when `rank` is `minimum` or above; an unknown or empty rank is never enough."""
    return rank in RANK_ORDER and RANK_ORDER.index(rank) >= RANK_ORDER.index(minimum)


def recorded_rank(user) -> str:
    """The rank on the user's staff profile, or "" (no profile, or no rank recorded)."""
    profile = StaffProfile.objects.filter(user_id=user.pk).only("rank").first()
    return profile.rank if profile else ""


def name_with_rank(rank: str, name: str) -> str:
    """How an officer is named on the case and the caution document: "Sgt Tom Baker"."""
    abbreviation = RANK_ABBREVIATIONS.get(rank, "")
    return f"{abbreviation} {name}" if abbreviation else name


# DPP guidance: the authorised person is a sergeant or above.
AUTHORISING_RANKS = frozenset(r for r in RANK_ORDER if rank_at_least(r, Rank.SERGEANT))


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
