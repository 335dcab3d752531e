"""Volunteer service models (ARCHITECTURE §6), one module per part of the domain."""

from .activities import (
    Activity,
    ActivityKind,
    ActivityStatus,
    CheckinMethod,
    Shift,
    Signup,
    SignupStatus,
)
from .base import AppendOnlyModel, ImmutableRecord
from .centers import DEFAULT_STAR_THRESHOLDS, Center, CenterLevel, ServicePolicy, StarLevel
from .ledger import Certificate, EntryKind, LedgerEntry
from .needs import Need, NeedEvent, Visibility
from .people import (
    Availability,
    Counter,
    Gender,
    ServiceType,
    Team,
    TeamMember,
    Volunteer,
    VolunteerStatus,
)

__all__ = [
    "DEFAULT_STAR_THRESHOLDS",
    "Activity",
    "ActivityKind",
    "ActivityStatus",
    "AppendOnlyModel",
    "Availability",
    "Center",
    "CenterLevel",
    "Certificate",
    "CheckinMethod",
    "Counter",
    "EntryKind",
    "Gender",
    "ImmutableRecord",
    "LedgerEntry",
    "Need",
    "NeedEvent",
    "ServicePolicy",
    "ServiceType",
    "Shift",
    "Signup",
    "SignupStatus",
    "StarLevel",
    "Team",
    "TeamMember",
    "Visibility",
    "Volunteer",
    "VolunteerStatus",
]
