"""Volunteer self-registration, staff review, and teams."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core import crypto
from wenming.core.errors import IllegalTransition, InvalidInput
from wenming.core.validators import (
    id_number_birth_date,
    id_number_is_male,
    validate_id_number,
    validate_mobile_phone,
)
from wenming.org.models import Membership, Region, Role

from ..models import (
    Availability,
    Center,
    Gender,
    ServiceType,
    Team,
    TeamMember,
    Volunteer,
    VolunteerStatus,
)
from .common import center_for_region, invalid, next_number


def _clean_identity(id_number: str, phone: str) -> tuple[str, str]:
    try:
        return validate_id_number(id_number), validate_mobile_phone(phone)
    except ValidationError as exc:
        raise invalid(exc) from exc


@transaction.atomic
def volunteer_register(
    *,
    real_name: str,
    id_number: str,
    phone: str,
    home_region: Region,
    skills: Sequence[str] = (),
    availability: Sequence[str] = (),
    user: User | None = None,
    password: str | None = None,
) -> Volunteer:
    """Register a volunteer (status pending until staff review it).

    The identity number must pass GB 11643 (checksum and birth date) and not be registered
    yet; the phone must be a mainland mobile. Without `user` but with `password`, an account
    is created whose username is the phone number; with neither, the volunteer has no account
    (registered by staff for someone without a smartphone).
    """
    number, mobile = _clean_identity(id_number, phone)
    if Volunteer.objects.filter(id_number_hash=crypto.keyed_hash(number, purpose="id_number")):
        raise InvalidInput(_("This identity number is already registered."))
    center = center_for_region(home_region)
    if center is None:
        raise InvalidInput(_("No practice center serves this region yet."))
    if user is None and password is not None:
        user = _new_account(mobile, real_name, password)
    elif user is not None and Volunteer.objects.filter(user=user).exists():
        raise InvalidInput(_("This account already has a volunteer registration."))
    volunteer = Volunteer(
        user=user,
        real_name=real_name.strip(),
        gender=Gender.MALE if id_number_is_male(number) else Gender.FEMALE,
        birth_date=id_number_birth_date(number),
        skills=[s for s in skills if s in ServiceType.values],
        availability=[a for a in availability if a in Availability.values],
        home_region=home_region,
        center=center,
    )
    volunteer.set_id_number(number)
    volunteer.set_phone(mobile)
    volunteer.save()
    return volunteer


def _new_account(mobile: str, real_name: str, password: str | None) -> User:
    users = get_user_model().objects
    if not password:
        raise InvalidInput(_("Choose a password for your account."))
    if users.filter(username=mobile).exists():
        raise InvalidInput(_("An account with this phone number exists already: sign in first."))
    return users.create_user(username=mobile, password=password, first_name=real_name.strip())


def _locked_pending(volunteer: Volunteer) -> Volunteer:
    locked = (
        Volunteer.objects.select_for_update().select_related("center__region").get(pk=volunteer.pk)
    )
    if locked.status != VolunteerStatus.PENDING:
        raise IllegalTransition(_("This registration has been reviewed already."))
    return locked


@transaction.atomic
def volunteer_approve(*, volunteer: Volunteer, actor: User) -> Volunteer:
    """Approve a pending registration: issue the volunteer number (used in public instead of
    the identity number) and give the account the volunteer role."""
    locked = _locked_pending(volunteer)
    year = timezone.localdate().year
    locked.number = next_number(f"{locked.center.region.code[:6]}{year}", 5)
    locked.status = VolunteerStatus.APPROVED
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    locked.save(update_fields=["number", "status", "reviewed_by", "reviewed_at", "updated_at"])
    if locked.user_id:
        Membership.objects.get_or_create(
            user_id=locked.user_id,
            role=Role.VOLUNTEER,
            unit=None,
            region_scope=locked.home_region,
            defaults={"center": locked.center},
        )
    return locked


@transaction.atomic
def volunteer_reject(*, volunteer: Volunteer, actor: User, note: str) -> Volunteer:
    """Turn down a pending registration with a reason the applicant sees."""
    if not note.strip():
        raise InvalidInput(_("Give the reason for the rejection."))
    locked = _locked_pending(volunteer)
    locked.status = VolunteerStatus.REJECTED
    locked.reviewed_by, locked.reviewed_at, locked.review_note = actor, timezone.now(), note
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    return locked


@transaction.atomic
def team_create(*, center: Center, name: str, service_type: str, description: str = "") -> Team:
    """Create a volunteer service team of a center (names are unique city-wide)."""
    if Team.objects.filter(name=name.strip()).exists():
        raise InvalidInput(_("A team with this name exists already."))
    return Team.objects.create(
        center=center, name=name.strip(), service_type=service_type, description=description
    )


@transaction.atomic
def team_member_add(*, team: Team, volunteer: Volunteer) -> TeamMember:
    """Add an approved volunteer to a team."""
    if not volunteer.is_approved:
        raise InvalidInput(_("Only approved volunteers can join a team."))
    member, created = TeamMember.objects.get_or_create(team=team, volunteer=volunteer)
    if not created:
        raise InvalidInput(_("%(name)s is in this team already.") % {"name": volunteer.real_name})
    return member


@transaction.atomic
def team_member_remove(*, team: Team, volunteer: Volunteer) -> None:
    """Remove a member; a leader who leaves leaves the team without a leader."""
    TeamMember.objects.filter(team=team, volunteer=volunteer).delete()
    if team.leader_id == volunteer.pk:
        team.leader = None
        team.save(update_fields=["leader", "updated_at"])


@transaction.atomic
def team_set_leader(*, team: Team, volunteer: Volunteer) -> Team:
    """Make a member the team's leader."""
    if not TeamMember.objects.filter(team=team, volunteer=volunteer).exists():
        raise InvalidInput(_("The leader must be a member of the team."))
    team.leader = volunteer
    team.save(update_fields=["leader", "updated_at"])
    return team
