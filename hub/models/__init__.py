from hub.models.audit import AccessLog
from hub.models.events import TransitionEvent
from hub.models.offences import Offence
from hub.models.organisations import AUTHORISING_RANKS, Organisation, Rank, StaffProfile
from hub.models.people import ETHNICITY_CODES, Person, Sex, ethnicity_group
from hub.models.reference import (
    ConditionObject,
    ConditionType,
    District,
    ModeOfTrial,
    NeedPathway,
    OffenceCategory,
)
from hub.models.retention import RetentionDecision

__all__ = [
    "AUTHORISING_RANKS",
    "ETHNICITY_CODES",
    "AccessLog",
    "ConditionObject",
    "ConditionType",
    "District",
    "ModeOfTrial",
    "NeedPathway",
    "Offence",
    "OffenceCategory",
    "Organisation",
    "Person",
    "Rank",
    "RetentionDecision",
    "Sex",
    "StaffProfile",
    "TransitionEvent",
    "ethnicity_group",
]
