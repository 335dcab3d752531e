"""The problem loop's hooks: suggestions on submit, the accepted rank at register/dispatch,
auto-accept, and reply flags on feedback."""

from __future__ import annotations

import pytest

from wenming.cases import services
from wenming.cases.models import CaseEvent, Category
from wenming.cases.states import Action
from wenming.org.models import Unit
from wenming.triage.models import Suggestion, SuggestionModel

from .conftest import category, jpeg

HEAT = ("幸福社区暖气不热", "家里暖气一点都不热，室温只有十二度，老人孩子受不了。")


@pytest.fixture
def submitted(report, trained, run_jobs):
    def make(*text, **kw):
        case = report(*(text or HEAT), **{"key": None, **kw})
        run_jobs()  # the intake job, queued in the submission's transaction
        return case

    return make


def test_the_intake_job_stores_suggestions(submitted, trained):
    case = submitted()
    suggestion = Suggestion.objects.get(case=case)
    assert suggestion.model_version == trained.version
    assert suggestion.categories[0]["id"] == category("event:1201").pk
    assert len(suggestion.categories) == 3 and 0 < suggestion.categories[0]["p"] <= 1
    assert suggestion.units[0]["id"] == Unit.objects.get(code="BT-RQ").pk
    assert suggestion.accepted_rank is None


def test_nothing_is_stored_in_the_request_itself(report, trained):
    from django_tasks_db.models import DBTaskResult

    case = report(*HEAT, key=None)
    assert not Suggestion.objects.filter(case=case).exists()
    job = DBTaskResult.objects.get(task_path="wenming.cases.tasks.case_intake_finish")
    assert job.args_kwargs["args"] == [case.pk]


def test_without_a_model_duplicates_are_still_stored(report, run_jobs):
    SuggestionModel.objects.update(is_active=False)  # the demo seed may have trained one
    first = report(*HEAT, key="event:1201")
    run_jobs()
    second = report(*HEAT, key="event:1201")
    run_jobs()
    suggestion = Suggestion.objects.get(case=second)
    assert suggestion.model is None and suggestion.categories == []
    assert [d["code"] for d in suggestion.duplicates] == [first.code]


def test_auto_accept_is_off_by_default(submitted):
    case = submitted()
    case.refresh_from_db()
    assert case.category is None


def test_auto_accept_gives_the_category_when_the_admin_set_a_threshold(submitted, knobs):
    knobs.auto_accept_threshold = 0.5
    knobs.save()
    case = submitted()
    case.refresh_from_db()
    assert case.category == category("event:1201") and case.state == "submitted"
    assert Suggestion.objects.get(case=case).auto_accepted
    assert CaseEvent.objects.filter(
        case=case, action=Action.COMMENT, data__triage="auto_accept"
    ).exists()


def test_auto_accept_never_overrides_a_chosen_category(submitted, knobs):
    knobs.auto_accept_threshold = 0.01
    knobs.save()
    case = submitted(key="event:0101")
    case.refresh_from_db()
    assert case.category == category("event:0101")


def test_register_and_dispatch_record_the_accepted_ranks(submitted, cast):
    case = submitted()
    suggestion = Suggestion.objects.get(case=case)
    second = Category.objects.get(pk=suggestion.categories[1]["id"])
    services.case_register(case_id=case.pk, actor=cast.dispatcher, category=second)
    services.case_dispatch(
        case_id=case.pk, actor=cast.dispatcher, unit=Unit.objects.get(code="BT-RQ")
    )
    suggestion.refresh_from_db()
    assert suggestion.accepted_rank == 2 and suggestion.accepted_at is not None
    assert suggestion.accepted_unit_rank == 1 and suggestion.unit_accepted_at is not None


def test_a_category_outside_the_suggestions_records_rank_zero(submitted, cast):
    case = submitted()
    services.case_register(case_id=case.pk, actor=cast.dispatcher, category=category("event:0603"))
    assert Suggestion.objects.get(case=case).accepted_rank == 0


def test_feedback_stores_reply_flags_without_blocking(cast, report, street_unit_case):
    case = street_unit_case
    services.case_feedback(case_id=case.pk, actor=cast.handler, text="已处理", photos=[jpeg()])
    event = CaseEvent.objects.get(case=case, action=Action.FEEDBACK)
    assert event.data["reply_flags"] == [{"code": "boilerplate"}]
    case.refresh_from_db()
    assert case.state == "handled"


def test_a_good_feedback_has_no_flags(cast, street_unit_case):
    text = "已安排环卫工人将5号楼门口堆放的生活垃圾全部清运干净，并增加了该处的清运频次。"
    services.case_feedback(
        case_id=street_unit_case.pk, actor=cast.handler, text=text, photos=[jpeg()]
    )
    event = CaseEvent.objects.get(case=street_unit_case, action=Action.FEEDBACK)
    assert event.data["reply_flags"] == []


@pytest.fixture
def street_unit_case(report, cast):
    case = report(
        "青东社区垃圾堆放", "5号楼门口的生活垃圾堆了三天没人清运，气味很大。", key="event:0102"
    )
    services.case_register(case_id=case.pk, actor=cast.dispatcher)
    services.case_dispatch(
        case_id=case.pk, actor=cast.dispatcher, unit=Unit.objects.get(code="BT-150204001000")
    )
    return services.case_sign(case_id=case.pk, actor=cast.handler)
