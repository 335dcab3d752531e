"""The 12345 console in a real browser: an operator takes a call, finds the answer in the
knowledge base and answers the caller directly, which files a hotline case closed as answered."""

import pytest
from playwright.sync_api import expect

from wenming.cases.models import Channel, State
from wenming.cases.states import Action
from wenming.hotline.models import HotlineCall, KnowledgeItem

from .conftest import screenshot

pytestmark = pytest.mark.e2e

CALLER = "13912345678"


def test_an_operator_answers_a_caller_from_the_knowledge_base(
    staff, live_server, transactional_city
):
    item = KnowledgeItem.objects.get(question="暖气不热怎么投诉？室温多少度算达标？")
    operator = staff("operator")
    operator.goto(f"{live_server.url}/staff/hotline/")
    expect(operator.get_by_role("heading", name="12345 热线受理台")).to_be_visible()
    screenshot(operator, "hotline-01-console")

    operator.locator("#id_phone").fill(CALLER)
    operator.locator("#id_caller_name").fill("赵女士")
    operator.locator("#id_course").fill("家里暖气不热，想知道室温多少度算达标、怎么投诉。")
    operator.locator("#id_knowledge_query").fill("暖气不热")
    hit = operator.locator("#knowledge-hits [data-wm-fill]", has_text=item.question)
    expect(hit).to_be_visible()
    screenshot(operator, "hotline-02-knowledge-hits")
    hit.click()
    expect(operator.locator("#id_answer")).to_have_value(item.answer)
    expect(operator.locator("#id_knowledge_item")).to_have_value(str(item.pk))
    screenshot(operator, "hotline-03-answer-filled")

    with operator.expect_navigation():
        operator.get_by_role("button", name="直接答复并结案").click()
    done = operator.locator(".alert-success")
    expect(done).to_contain_text("已直接答复（已结案）")
    screenshot(operator, "hotline-04-answered")

    call = HotlineCall.objects.select_related("case").get()
    case = call.case
    assert (case.channel, case.state, case.reporter_phone) == (
        Channel.HOTLINE,
        State.CLOSED,
        CALLER,
    )
    assert list(case.events.values_list("action", flat=True)) == [Action.SUBMIT, Action.ANSWER]
    assert case.events.get(action=Action.ANSWER).note == item.answer
    assert call.knowledge_item == item
    expect(done.get_by_role("link", name=case.code)).to_be_visible()
