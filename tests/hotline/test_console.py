"""The 12345 console end to end through the view: the three endings, idempotency, bad input,
roles and the page's query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wenming.cases.models import Case, Channel
from wenming.cases.selectors import timeline
from wenming.cases.states import Action, State
from wenming.hotline.models import HotlineCall, KnowledgeItem
from wenming.org.models import Unit

from .conftest import CONSOLE

pytestmark = pytest.mark.django_db
STREET_OFFICE = "BT-150204001000"


def only_case() -> Case:
    call = HotlineCall.objects.select_related("case").get()
    return call.case


def test_answer_ending_closes_a_hotline_case_with_the_answer_on_the_public_timeline(
    operator, call_data, consult
):
    item = KnowledgeItem.objects.create(question="测试：受理范围？", answer="受理咨询求助投诉。")
    response = operator.post(
        CONSOLE,
        call_data(
            ending="answer",
            category=consult.pk,
            category_query="1301 政策咨询",
            nature="consult",
            knowledge_item=item.pk,
            answer="12345受理咨询、求助和投诉，紧急情况请拨110。",
        ),
    )
    assert response.status_code == 302 and response.url == CONSOLE
    case = only_case()
    assert (case.channel, case.state, case.nature) == (Channel.HOTLINE, State.CLOSED, "consult")
    assert case.reporter_phone == "13912345678" and case.reporter_user.username == "operator"
    public = list(timeline(case, audience="public"))
    assert [e.action for e in public] == [Action.SUBMIT, Action.ANSWER]
    assert public[-1].note == "12345受理咨询、求助和投诉，紧急情况请拨110。"
    assert HotlineCall.objects.get().knowledge_item == item


def test_register_ending_leaves_the_case_registered_with_the_five_elements(operator, call_data):
    operator.post(CONSOLE, call_data(ending="register"))
    case = only_case()
    assert (case.channel, case.state, case.category.code) == (Channel.HOTLINE, "registered", "0501")
    assert case.title == "占道经营：水果摊摆到人行道上，行人只能走机动车道"
    for text in ("一家水果店", "每天下午4点以后", "钢铁大街32号", "店面太小", "人行道"):
        assert text in case.description
    assert case.region.code == "15020400100105" and case.reporter_name == "王先生"
    assert HotlineCall.objects.get().elements["who"] == "一家水果店"


def test_register_and_dispatch_sends_the_case_to_the_chosen_unit(operator, call_data, cast):
    unit = Unit.objects.get(code=STREET_OFFICE)
    response = operator.post(CONSOLE, call_data(ending="dispatch", unit=unit.pk), follow=True)
    case = only_case()
    assert (case.channel, case.state, case.unit) == (Channel.HOTLINE, State.DISPATCHED, unit)
    assert case.sign_deadline is not None
    assert [e.action for e in case.events.all()] == ["submit", "register", "dispatch"]
    assert case.code in response.content.decode()  # the success message names the case


def test_dispatch_of_an_auto_dispatch_category_does_not_dispatch_twice(operator, call_data, city):
    from wenming.cases.models import Category

    garbage = Category.objects.get(kind="event", code="0101")  # 暴露垃圾: auto-dispatch
    unit = Unit.objects.get(code=STREET_OFFICE)
    operator.post(CONSOLE, call_data(ending="dispatch", category=garbage.pk, unit=unit.pk))
    case = only_case()
    assert case.state == State.DISPATCHED
    assert [e.action for e in case.events.all()].count("dispatch") == 1


def test_the_console_preselects_the_unit_the_routing_rules_propose(operator, call_data, vendors):
    data = call_data()
    response = operator.get(
        reverse("hotline:unit_proposal"),
        {"category": vendors.pk, "lat": data["lat"], "lon": data["lon"]},
    )
    office = Unit.objects.get(code=STREET_OFFICE)
    assert f'<option value="{office.pk}" selected>' in response.content.decode()
    # A form sent back with an error keeps the routing proposal selected.
    page = operator.post(CONSOLE, call_data(ending="dispatch", course=""))
    assert f'<option value="{office.pk}" selected>' in page.content.decode()


def test_a_resubmitted_form_files_one_case(operator, call_data):
    data = call_data(ending="register")
    operator.post(CONSOLE, data)
    again = operator.post(CONSOLE, data, follow=True)
    assert Case.objects.filter(channel=Channel.HOTLINE).count() == 1
    assert HotlineCall.objects.count() == 1
    assert "already filed as" in again.content.decode()


def test_bad_input_re_renders_with_every_value_kept(operator, call_data):
    data = call_data(phone="12345", course="", ending="dispatch")
    response = operator.post(CONSOLE, data)
    page = response.content.decode()
    assert response.status_code == 200 and not HotlineCall.objects.exists()
    form = response.context["form"]
    assert set(form.errors) >= {"phone", "course", "unit"}
    for kept in ("一家水果店", "每天下午4点以后", "钢铁大街32号", "0501 占道经营", data["token"]):
        assert kept in page
    assert form["category"].value() == str(data["category"]) and form["lat"].value() == str(
        data["lat"]
    )
    assert "Enter a mobile number (11 digits) or a landline" in page


@pytest.mark.parametrize(
    "ending, field, overrides",
    [
        ("register", "category_query", {"category": "", "category_query": "摆摊"}),
        ("register", "address", {"address": "", "lat": "", "lon": "", "located": ""}),
        ("dispatch", "unit", {"unit": ""}),
        ("answer", "answer", {"answer": ""}),
        ("", "ending", {}),
        ("register", "address", {"lat": "10.0", "lon": "10.0"}),  # outside the city
        ("register", "category_query", {"category": "999999"}),
    ],
)
def test_each_ending_asks_for_what_it_needs(operator, call_data, ending, field, overrides):
    response = operator.post(CONSOLE, call_data(ending=ending, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Case.objects.filter(channel=Channel.HOTLINE).exists()


def test_an_expired_knowledge_item_cannot_be_used(operator, call_data):
    yesterday = timezone.localdate() - timedelta(days=1)
    item = KnowledgeItem.objects.create(question="过期条目", answer="旧答复", valid_until=yesterday)
    response = operator.post(
        CONSOLE, call_data(ending="answer", knowledge_item=item.pk, answer="旧答复")
    )
    assert "knowledge_query" in response.context["form"].errors
    assert not HotlineCall.objects.exists()


def test_a_landline_caller_is_accepted_and_stored_with_its_area_code(operator, call_data):
    operator.post(CONSOLE, call_data(phone="(0472) 5123456"))
    assert only_case().reporter_phone == "0472-5123456"


def test_a_district_operator_cannot_file_a_case_outside_the_district(client, call_data, cast):
    from .test_caller_panel import district_operator

    client.force_login(district_operator())
    response = client.post(CONSOLE, call_data(ending="answer", answer="已解答", lat="", lon=""))
    assert response.status_code == 200
    assert "outside your area of responsibility" in response.content.decode()
    assert not Case.objects.filter(channel=Channel.HOTLINE).exists()


@pytest.mark.parametrize("who", ["handler", "inspector", "nobody", "centerstaff"])
def test_other_roles_may_not_take_calls(client, cast, call_data, who):
    client.force_login(cast[who])
    assert client.get(CONSOLE).status_code == 403
    assert client.post(CONSOLE, call_data(), follow=True).status_code == 403
    for name, param in [
        ("caller", "phone"),
        ("address_search", "address"),
        ("category_search", "category_query"),
        ("knowledge_search", "knowledge_query"),
        ("unit_proposal", "category"),
    ]:
        assert client.get(reverse(f"hotline:{name}"), {param: "1"}).status_code == 403
    assert not Case.objects.filter(channel=Channel.HOTLINE).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, city):
    response = client.get(CONSOLE)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_dispatcher_may_take_calls_too(client, cast, call_data):
    client.force_login(cast.dispatcher)
    client.post(CONSOLE, call_data(ending="register"))
    assert only_case().state == State.REGISTERED


def test_the_console_page_runs_a_fixed_number_of_queries(operator, call_data):
    operator.get(CONSOLE)  # warm: session, caches
    with CaptureQueriesContext(connection) as captured:
        response = operator.get(CONSOLE)
    assert response.status_code == 200
    # session, user, roles, the dispatch units (+ the inbox badge): nothing grows with data.
    assert len(captured) <= 5, [q["sql"] for q in captured]
    page = response.content.decode()
    assert "autofocus" in page and 'aria-keyshortcuts="Alt+1"' in page
    assert 'aria-keyshortcuts="Alt+3"' in page and "hotline.js" in page
