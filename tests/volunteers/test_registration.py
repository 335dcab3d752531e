"""Volunteer self-registration, staff review and teams."""

import pytest
from django.utils.translation import override

from wenming.core import crypto
from wenming.core.errors import IllegalTransition, InvalidInput
from wenming.org.models import Membership, Region
from wenming.volunteers import services
from wenming.volunteers.models import VolunteerStatus
from wenming.volunteers.seed import demo_id_number


def register(number: str, phone: str = "13600000001", **extra):  # type: ignore[no-untyped-def]
    return services.volunteer_register(
        real_name="李志愿",
        id_number=number,
        phone=phone,
        home_region=Region.objects.get(code="150204001001"),
        password="Wenming@2026",
        **extra,
    )


def test_registration_stores_the_identity_number_encrypted_and_masked(city):
    number = demo_id_number(701)
    volunteer = register(number)
    assert volunteer.status == VolunteerStatus.PENDING
    assert volunteer.number is None
    assert number not in volunteer.id_number_encrypted
    assert crypto.decrypt(volunteer.id_number_encrypted) == number
    assert volunteer.id_number_masked == f"{number[:4]}**********{number[-4:]}"
    assert volunteer.center.name == "六合成社区新时代文明实践站"
    assert volunteer.user.username == "13600000001"
    assert volunteer.birth_date.isoformat() == f"{number[6:10]}-{number[10:12]}-{number[12:14]}"


def test_a_wrong_check_digit_is_refused(city):
    number = demo_id_number(702)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with override("en"), pytest.raises(InvalidInput, match="check digit"):
        register(wrong)


def test_the_same_identity_number_cannot_register_twice(city):
    register(demo_id_number(703))
    with override("en"), pytest.raises(InvalidInput, match="already registered"):
        register(demo_id_number(703), phone="13600000002")


def test_approval_issues_a_number_and_the_volunteer_role(cast):
    volunteer = register(demo_id_number(704))
    approved = services.volunteer_approve(volunteer=volunteer, actor=cast.centerstaff)
    assert approved.status == VolunteerStatus.APPROVED
    assert approved.number.startswith("150204")
    assert Membership.objects.filter(user=approved.user, role="volunteer").exists()
    with pytest.raises(IllegalTransition):
        services.volunteer_approve(volunteer=approved, actor=cast.centerstaff)


def test_rejection_needs_a_reason(cast):
    volunteer = register(demo_id_number(705))
    with pytest.raises(InvalidInput):
        services.volunteer_reject(volunteer=volunteer, actor=cast.centerstaff, note=" ")
    rejected = services.volunteer_reject(
        volunteer=volunteer, actor=cast.centerstaff, note="资料不全"
    )
    assert rejected.status == VolunteerStatus.REJECTED


def test_teams_take_approved_members_and_a_member_leader(cast, make_volunteer, team):
    pending, member = make_volunteer(approved=False), make_volunteer()
    with pytest.raises(InvalidInput):
        services.team_member_add(team=team, volunteer=pending)
    with pytest.raises(InvalidInput):
        services.team_set_leader(team=team, volunteer=member)
    services.team_member_add(team=team, volunteer=member)
    with pytest.raises(InvalidInput):
        services.team_member_add(team=team, volunteer=member)
    assert services.team_set_leader(team=team, volunteer=member).leader == member
    services.team_member_remove(team=team, volunteer=member)
    team.refresh_from_db()
    assert team.leader is None
