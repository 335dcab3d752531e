"""Good people: nomination with photos, review with a level, public list with search."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from wenming.core.errors import IllegalTransition, InvalidInput
from wenming.honors import services
from wenming.honors.models import Honoree, HonoreeStatus
from wenming.org.models import Membership, Region, Role

STORY = "她每天为独居老人送饭，十年如一日，从不间断，邻居们都很感动。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def nominate(**extra):  # type: ignore[no-untyped-def]
    values = {
        "name": "周大姐",
        "category": "helping",
        "region": Region.objects.get(code="150204001001"),
        "title": "邻里好帮手",
        "story": STORY,
        "nominator_name": "钱先生",
        "nominator_phone": "13700001111",
    }
    return services.honoree_nominate(**{**values, **extra})


def test_a_nomination_keeps_re_encoded_photos_and_a_masked_phone(city):
    honoree = nominate(photos=[jpeg()])
    assert honoree.status == HonoreeStatus.NOMINATED
    assert honoree.nominator_phone_masked == "137****1111"
    assert honoree.photos.get().thumbnail.name.endswith(".jpg")


def test_bad_nominations_are_refused(city):
    with pytest.raises(InvalidInput):
        nominate(nominator_phone="123")
    with pytest.raises(InvalidInput):
        nominate(story="太短")
    with pytest.raises(InvalidInput):
        nominate(photos=[SimpleUploadedFile("x.jpg", b"not an image")])


def test_review_sets_the_level_once(cast):
    honoree = nominate()
    with pytest.raises(InvalidInput):
        services.honoree_approve(honoree=honoree, actor=cast.centerstaff, level="")
    approved = services.honoree_approve(honoree=honoree, actor=cast.centerstaff, level="city")
    assert approved.status == HonoreeStatus.APPROVED and approved.level == "city"
    with pytest.raises(IllegalTransition):
        services.honoree_reject(honoree=approved, actor=cast.centerstaff, note="x")


def test_rejection_needs_a_reason(cast):
    honoree = nominate()
    with pytest.raises(InvalidInput):
        services.honoree_reject(honoree=honoree, actor=cast.centerstaff, note="")
    assert (
        services.honoree_reject(honoree=honoree, actor=cast.centerstaff, note="事迹待核实").status
        == "rejected"
    )


def test_the_public_list_shows_approved_people_and_searches(client, cast):
    hidden = nominate(name="未审核者")
    page = client.get(reverse("honors_portal:list")).content.decode()
    assert "李秀兰" in page and "未审核者" not in page
    assert client.get(reverse("honors_portal:detail", args=[hidden.pk])).status_code == 404
    found = client.get(reverse("honors_portal:list"), {"q": "冰河"})
    assert [h.name for h in found.context["page"]] == ["张海军"]
    by_level = client.get(reverse("honors_portal:list"), {"level": "district"})
    assert {h.level for h in by_level.context["page"]} == {"district"}
    shown = Honoree.objects.get(name="李秀兰")
    assert "十年来" in client.get(reverse("honors_portal:detail", args=[shown.pk])).content.decode()


def test_anyone_nominates_through_the_portal(client, city):
    response = client.post(
        reverse("honors_portal:nominate"),
        {
            "name": "孙师傅",
            "category": "dedication",
            "region": Region.objects.get(code="150204001001").pk,
            "title": "三十年坚守公交线路",
            "story": STORY,
            "nominator_name": "乘客",
            "nominator_phone": "13700002222",
            "photos": [jpeg()],
        },
    )
    assert response.status_code == 302
    assert Honoree.objects.get(name="孙师傅").photos.count() == 1


@pytest.fixture
def streetstaff(city):  # type: ignore[no-untyped-def]
    user, _ = get_user_model().objects.get_or_create(username="streetstaff")
    Membership.objects.get_or_create(
        user=user, role=Role.CENTER_STAFF, region_scope=Region.objects.get(code="150204002000")
    )
    return user


def test_staff_review_pages_are_scoped(client, cast, streetstaff):
    honoree = nominate()  # 青山路街道
    detail = reverse("honors:review_detail", args=[honoree.pk])
    client.force_login(cast.centerstaff)
    assert client.get(reverse("honors:review_list")).status_code == 200
    assert client.get(detail).status_code == 200
    client.post(
        reverse("honors:review", args=[honoree.pk]), {"decision": "approve", "level": "district"}
    )
    assert Honoree.objects.get(pk=honoree.pk).level == "district"
    for user in (cast.handler, cast.volunteer, cast.nobody):
        client.force_login(user)
        assert client.get(reverse("honors:review_list")).status_code == 404
        assert client.get(detail).status_code == 404
    client.force_login(streetstaff)
    assert client.get(detail).status_code == 404
    assert (
        client.post(reverse("honors:review", args=[honoree.pk]), {"decision": "reject"}).status_code
        == 404
    )
    listed = client.get(reverse("honors:review_list"), {"status": "all"}).context["page"]
    assert honoree not in list(listed)
