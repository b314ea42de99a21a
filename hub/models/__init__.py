from hub.models.audit import AccessLog
from hub.models.events import TransitionEvent
from hub.models.offences import Offence
from hub.models.organisations import AUTHORISING_RANKS, Organisation, Rank, StaffProfile
from hub.models.people import ETHNICITY_CODES, Person, Sex, ethnicity_group
from hub.models.records import ImportBatch, ReoffenceRecord
from hub.models.reference import (
    ConditionObject,
    ConditionType,
    District,
    ModeOfTrial,
    NeedPathway,
    OffenceCategory,
)
from hub.models.security import EnrolmentCode, TwoFactorFailure

__all__ = [
    "AUTHORISING_RANKS",
    "ETHNICITY_CODES",
    "AccessLog",
    "ConditionObject",
    "ConditionType",
    "District",
    "EnrolmentCode",
    "ImportBatch",
    "ModeOfTrial",
    "NeedPathway",
    "Offence",
    "OffenceCategory",
    "Organisation",
    "Person",
    "Rank",
    "ReoffenceRecord",
    "Sex",
    "StaffProfile",
    "TransitionEvent",
    "TwoFactorFailure",
    "ethnicity_group",
]
