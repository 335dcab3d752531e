"""core.inserts.insert writes a new row exactly as Model.save() would."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db.models import Value
from django.db.models.functions import Concat
from django.db.models.signals import post_save, pre_save
from django.forms.models import model_to_dict

from wenming.api.models import IdempotencyKey
from wenming.cases.models import Case, CaseAttachment, CaseEvent
from wenming.core.inserts import insert


def event_for(case: Case, note: str) -> CaseEvent:
    return CaseEvent(
        case=case,
        action="comment",
        from_state="submitted",
        to_state="submitted",
        note=note,
        actor_label="系统",
        data={"why": ["测试", 1]},
        created_at=case.reported_at,
    )


@pytest.fixture
def case(submit) -> Case:
    return submit()


def test_the_row_is_the_one_save_writes(case):
    mine, django = (
        insert(event_for(case, "同一条")),
        CaseEvent.objects.create(
            **model_to_dict(event_for(case, "同一条"), exclude=["id"]) | {"case": case}
        ),
    )
    assert mine.pk and mine.pk != django.pk and not mine._state.adding
    read = lambda pk: model_to_dict(CaseEvent.objects.get(pk=pk), exclude=["id"])  # noqa: E731
    assert read(mine.pk) == read(django.pk)
    assert read(mine.pk)["data"] == {"why": ["测试", 1]}


def test_a_later_save_updates_the_inserted_row(case):
    event = insert(event_for(case, "先写"))
    event.note = "再改"
    event.save()
    assert CaseEvent.objects.filter(case=case, action="comment").count() == 1
    assert CaseEvent.objects.get(pk=event.pk).note == "再改"


def test_auto_now_fields_are_filled(case):
    key = insert(IdempotencyKey(owner="anonymous", key="k-1", body_hash="h", case=case))
    assert IdempotencyKey.objects.get(pk=key.pk).created_at == key.created_at is not None


def test_a_given_id_is_kept(case):
    event = event_for(case, "指定编号")
    event.pk = CaseEvent.objects.order_by("-pk").first().pk + 1000
    insert(event)
    assert CaseEvent.objects.get(pk=event.pk).note == "指定编号"


def test_an_upload_is_stored_under_its_generated_name(case):
    attachment = insert(
        CaseAttachment(case=case, kind="before", upload=ContentFile(b"raw bytes", name="a.jpg"))
    )
    stored = CaseAttachment.objects.get(pk=attachment.pk).upload
    assert stored.name and stored.name == attachment.upload.name
    assert stored.storage.open(stored.name).read() == b"raw bytes"


def test_an_unsaved_related_object_is_refused(case):
    unsaved = Case(code="BT-unsaved")
    with pytest.raises(ValueError, match="unsaved related object"):
        insert(event_for(unsaved, "无主"))


def test_signal_receivers_hear_the_insert_and_may_change_the_row(case):
    heard: list[tuple[str, int | None]] = []

    def before(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
        heard.append(("pre_save", instance.pk))
        instance.note += "（已审）"

    def after(sender, instance, created, **kwargs):  # type: ignore[no-untyped-def]
        heard.append(("post_save" if created else "updated", instance.pk))

    pre_save.connect(before, sender=CaseEvent)
    post_save.connect(after, sender=CaseEvent)
    try:
        event = insert(event_for(case, "有人听"))
    finally:
        pre_save.disconnect(before, sender=CaseEvent)
        post_save.disconnect(after, sender=CaseEvent)
    assert heard == [("pre_save", None), ("post_save", event.pk)]
    assert CaseEvent.objects.get(pk=event.pk).note == "有人听（已审）"


def test_an_sql_expression_is_written_by_django(case):
    event = event_for(case, "表达式")
    event.note = Concat(Value("甲"), Value("乙"))
    insert(event)
    assert CaseEvent.objects.get(pk=event.pk).note == "甲乙"
