"""Following a case: by code alone (public view), with the phone's last four digits (private
details and rating), rating once, merged cases, and the public list and map."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.cases import services
from wenming.cases.models import Case, CaseRating
from wenming.portal import access

from .conftest import jpeg

TRACK = reverse("portal:track")


def page(client: Client, case: Case) -> str:
    return client.get(reverse("portal:track_case", args=[case.code])).content.decode()


def prove(client: Client, case: Case, digits: str = "5678"):
    return client.post(TRACK, {"code": case.code.lower(), "digits": digits})


def test_track_by_code_shows_the_public_view_only(browser, advance, cast):
    case = advance("in_progress")
    services.case_comment(case_id=case.pk, actor=cast.dispatcher, note="内部备注：涉及物业纠纷")
    response = browser.post(TRACK, {"code": case.code})
    assert response["Location"] == reverse("portal:track_case", args=[case.code])
    html = page(browser, case)
    assert case.code in html and "In progress" in html
    assert "Signed for" in html and "Dispatched" in html  # the public timeline
    assert "内部备注" not in html  # internal events stay internal
    assert "李女士" not in html and "wm-private-details" not in html
    assert "wm-rating-form" not in html
    assert "小区门口垃圾三天没人清运" in html  # a public case's (redacted) description


def test_an_unknown_code_is_a_field_error_and_a_404(browser, city):
    response = browser.post(TRACK, {"code": "BT000000000000"})
    assert "No case has this code" in " ".join(response.context["form"].errors["code"])
    assert browser.get(reverse("portal:track_case", args=["BT000000000000"])).status_code == 404


def test_the_right_digits_show_the_private_details(browser, advance):
    case = advance("in_progress")
    assert prove(browser, case)["Location"] == reverse("portal:track_case", args=[case.code])
    html = page(browser, case)
    assert "wm-private-details" in html and "李女士" in html and "139****5678" in html
    assert "青山区六合成社区3号楼" in html


def test_wrong_digits_show_no_details(browser, advance):
    case = advance("closed")
    response = prove(browser, case, "0000")
    assert response.status_code == 200
    assert "do not match" in " ".join(response.context["form"].errors["digits"])
    html = page(browser, case)
    assert "wm-private-details" not in html and "wm-rating-form" not in html


def test_digits_are_checked_against_a_case_without_phone(browser, submit):
    case = submit(reporter_phone="")
    assert prove(browser, case, "0000").status_code == 200
    assert "wm-private-details" not in page(browser, case)


def test_too_many_wrong_digits_lock_the_code(browser, advance):
    case = advance("closed")
    for _ in range(access.MAX_FAILURES):
        prove(browser, case, "0000")
    response = prove(browser, case, "5678")  # even the right digits wait now
    assert "Too many wrong tries" in " ".join(response.context["form"].errors["digits"])
    assert "wm-private-details" not in page(browser, case)


def test_the_reporter_rates_a_closed_case_once(browser, advance):
    case = advance("closed")
    prove(browser, case)
    assert "wm-rating-form" in page(browser, case)
    rate = reverse("portal:track_rate", args=[case.code])
    data = {"satisfaction": "basically", "resolved": "yes", "comment": "处理及时"}
    browser.post(rate, data)
    rating = CaseRating.objects.get(case=case)
    assert (rating.satisfaction, rating.resolved, rating.comment) == ("basically", True, "处理及时")
    assert not rating.via_callback and rating.recorded_by is None
    html = page(browser, case)
    assert "wm-rating-form" not in html and "wm-rated" in html

    again = browser.post(rate, {**data, "satisfaction": "dissatisfied"}, follow=True)
    assert "already been rated" in again.content.decode()
    assert CaseRating.objects.filter(case=case).count() == 1


def test_rating_needs_the_digits(browser, advance):
    case = advance("closed")
    response = browser.post(
        reverse("portal:track_rate", args=[case.code]),
        {"satisfaction": "satisfied", "resolved": "yes"},
        follow=True,
    )
    assert "last four digits" in response.content.decode()
    assert not CaseRating.objects.exists()


def test_an_open_case_cannot_be_rated(browser, advance):
    case = advance("handled")
    prove(browser, case)
    assert "wm-rating-form" not in page(browser, case)
    browser.post(
        reverse("portal:track_rate", args=[case.code]),
        {"satisfaction": "satisfied", "resolved": "no"},
    )
    assert not CaseRating.objects.exists()


def test_a_bad_rating_form_is_refused(browser, advance):
    case = advance("closed")
    prove(browser, case)
    response = browser.post(
        reverse("portal:track_rate", args=[case.code]), {"satisfaction": "great"}, follow=True
    )
    assert "Choose how satisfied" in response.content.decode()
    assert not CaseRating.objects.exists()


def test_before_and_after_photos_are_shown(browser, advance, run_jobs):
    case = advance("closed", photos=[jpeg()])
    run_jobs()  # the reporter's photo is re-encoded by the intake job
    html = page(browser, case)
    assert "Before" in html and "After" in html
    assert html.count("<img") >= 2


def test_a_merged_case_points_to_its_survivor(browser, submit, cast):
    survivor = submit()
    duplicate = submit()
    services.case_merge(case_id=duplicate.pk, actor=cast.dispatcher, into=survivor)
    html = page(browser, duplicate)
    assert survivor.code in html
    assert reverse("portal:track_case", args=[survivor.code]) in html


def test_a_private_case_hides_its_text_without_the_digits(browser, submit):
    case = submit(is_public=False)
    assert "小区门口垃圾" not in page(browser, case)
    prove(browser, case)
    assert "小区门口垃圾" in page(browser, case)


def test_phone_numbers_in_a_public_description_are_masked(browser, submit):
    case = submit(description="楼下张师傅电话13800001234，车牌蒙B12345占道")
    html = page(browser, case)
    assert "13800001234" not in html and "138****1234" in html
    assert "蒙B12345" not in html


# ---------------------------------------------------------------- public list and map


def _registered(submit, cast, n: int, with_photo: bool = False, **overrides) -> list[Case]:
    cases = []
    for _ in range(n):
        case = submit(**overrides, **({"photos": [jpeg()]} if with_photo else {}))
        cases.append(services.case_register(case_id=case.pk, actor=cast.dispatcher))
    return cases


def test_public_list_shows_registered_public_cases_without_personal_data(browser, submit, cast):
    listed = _registered(submit, cast, 1, description="门口电话13800001234的店占道经营")[0]
    hidden = _registered(submit, cast, 1, is_public=False)[0]
    unvetted = submit()
    response = browser.get(reverse("portal:case_list"))
    html = response.content.decode()
    codes = [row["code"] for row in response.context["rows"]]
    assert codes == [listed.code]
    assert hidden.code not in html and unvetted.code not in html
    assert "13800001234" not in html and "李女士" not in html and "13912345678" not in html
    feature = response.context["points"]["features"][0]
    assert feature["geometry"]["coordinates"] == [round(listed.lon, 3), round(listed.lat, 3)]


def test_public_list_filters_by_status_and_category(browser, submit, cast, advance, category):
    open_case = _registered(submit, cast, 1)[0]
    closed_case = advance("closed")
    url = reverse("portal:case_list")
    assert [r["code"] for r in browser.get(url, {"status": "closed"}).context["rows"]] == [
        closed_case.code
    ]
    assert [r["code"] for r in browser.get(url, {"status": "open"}).context["rows"]] == [
        open_case.code
    ]
    by_major = browser.get(url, {"category": category.parent_id}).context["rows"]
    assert {r["code"] for r in by_major} == {open_case.code, closed_case.code}
    assert browser.get(url, {"category": "999999"}).context["rows"] == []
    oldest = browser.get(url, {"sort": "old"}).context["rows"][0]["code"]
    assert oldest == open_case.code


def test_public_list_query_count_is_the_same_for_10_and_50_cases(browser, submit, cast):
    url = reverse("portal:case_list")

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert browser.get(url).status_code == 200
        return len(context)

    _registered(submit, cast, 10, with_photo=True)
    ten = queries()
    _registered(submit, cast, 40, with_photo=True)
    assert queries() == ten <= 8
