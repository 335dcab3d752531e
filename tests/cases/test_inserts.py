"""core.inserts.insert writes a new row exactly as Model.save() would; inside
core.inserts.together the rows go to the database together, in one round trip on PostgreSQL."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection
from django.db.models import Value
from django.db.models.functions import Concat
from django.db.models.signals import post_save, pre_save
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from wenming.api.models import IdempotencyKey
from wenming.cases.models import Case, CaseAttachment, CaseEvent
from wenming.cases.services import case_stamp
from wenming.core.inserts import insert, together


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


# ---------------------------------------------------------------- together


def key_for(case: Case, key: str) -> IdempotencyKey:
    return IdempotencyKey(owner="anonymous", key=key, body_hash="h", case=case)


def writes(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "INSERT" in q["sql"]]


def test_rows_inserted_together_are_all_written(case):
    awkward = "一起一：100% 'quoted' %s %(name)s; DROP TABLE x; --"  # sent as a value
    with together():
        first = insert(event_for(case, awkward))
        second = insert(event_for(case, "一起二"))
        key = insert(key_for(case, "together-1"))
    assert first.pk and second.pk and key.pk and not key._state.adding
    assert [e.note for e in CaseEvent.objects.filter(pk__in=[first.pk, second.pk])] == [
        awkward,
        "一起二",
    ]
    assert IdempotencyKey.objects.get(pk=key.pk).case == case


def test_values_written_into_the_message_read_back_as_saved(case):
    """Rows sent together carry their values written into the SQL (core.inserts merges them
    with psycopg's as_literal): a wide row of every kind of value reads back as save() wrote
    it."""
    awkward = "反斜杠 \\ 'single' \"double\" E'\\x41' $$dollar$$ 100% %s \t\n end"
    values = model_to_dict(case, exclude=["id", "code"]) | {
        "category_id": case.category_id,
        "region_id": case.region_id,
        "unit_id": case.unit_id,
        "description": awkward,
        "lat": 40.657123456789012,
        "lon": -0.1,
        "is_public": True,
        "rework_count": 0,
        "reported_at": case.reported_at,
    }
    values = {k: v for k, v in values.items() if k not in {"category", "region", "unit"}}
    drawn = case_stamp().case_id  # an id beforehand, for the event's row (PostgreSQL)
    with together():
        mine = insert(Case(id=drawn, code="ZZ-MERGED-1", **values))
        insert(event_for(mine, awkward))
    theirs = Case.objects.create(code="ZZ-SAVED-1", **values)
    read = lambda pk: model_to_dict(Case.objects.get(pk=pk), exclude=["id", "code"])  # noqa: E731
    assert read(mine.pk) == read(theirs.pk)
    assert read(mine.pk)["description"] == awkward and read(mine.pk)["lat"] == values["lat"]
    assert CaseEvent.objects.get(case=mine, action="comment").data == {"why": ["测试", 1]}


def batches() -> bool:
    return connection.vendor == "postgresql"  # SQLite takes one statement with parameters


@pytest.mark.postgres
def test_rows_inserted_together_travel_in_one_statement(case):
    heard: list[int | None] = []
    after = lambda sender, instance, **kwargs: heard.append(instance.pk)  # noqa: E731
    post_save.connect(after, sender=IdempotencyKey)
    try:
        with CaptureQueriesContext(connection) as captured, together():
            insert(event_for(case, "同车一"))
            insert(event_for(case, "同车二"))
            key = insert(key_for(case, "together-2"))
            if batches():
                assert key.pk is None and heard == []  # its id comes when the rows are sent
    finally:
        post_save.disconnect(after, sender=IdempotencyKey)
    sent = writes(captured)
    if batches():
        assert len(sent) == 1 and sent[0].count("INSERT INTO") == 3
    else:
        assert len(sent) == 3
    assert heard == [key.pk] and key.pk is not None


@pytest.mark.postgres
def test_a_submission_sends_its_rows_together_with_the_ids_drawn_with_its_code(submit):
    with CaptureQueriesContext(connection) as captured:
        case = submit()
    event = CaseEvent.objects.get(case=case)
    assert Case.objects.get(pk=case.pk).code == case.code
    stamp_sql, *rows_sql = writes(captured)
    assert "cases_casecodecounter" in stamp_sql
    if not batches():
        assert len(rows_sql) == 3 and case_stamp().case_id is None
        return
    assert "nextval" in stamp_sql
    assert len(rows_sql) == 1 and rows_sql[0].count("INSERT INTO") == 3  # case, event, job
    stamp = case_stamp()
    assert stamp.case_id and stamp.case_id > case.pk and stamp.event_id > event.pk


def test_a_query_inside_the_block_sees_the_rows_inserted_before_it(case):
    with together():
        insert(event_for(case, "先到"))
        assert CaseEvent.objects.filter(case=case, note="先到").exists()
        insert(event_for(case, "后到"))
    assert CaseEvent.objects.filter(case=case, note="后到").exists()


def test_an_error_in_the_block_writes_none_of_its_rows(case):
    with pytest.raises(RuntimeError), together():
        insert(event_for(case, "作废"))
        raise RuntimeError("the caller changed its mind")
    assert not CaseEvent.objects.filter(note="作废").exists()


def test_a_refused_row_takes_the_rows_sent_with_it_back(case):
    insert(key_for(case, "taken"))
    with pytest.raises(IntegrityError), together():
        insert(event_for(case, "同归于尽"))
        insert(key_for(case, "taken"))
    assert not CaseEvent.objects.filter(note="同归于尽").exists()
    assert IdempotencyKey.objects.filter(key="taken").count() == 1


def test_a_block_inside_that_fails_drops_only_its_own_rows(case):
    with together():
        insert(event_for(case, "外层"))
        with pytest.raises(RuntimeError), together():
            insert(event_for(case, "内层"))
            raise RuntimeError("inner block fails")
        insert(event_for(case, "外层之后"))
    notes = set(CaseEvent.objects.filter(case=case).values_list("note", flat=True))
    assert {"外层", "外层之后"} <= notes and "内层" not in notes


def test_a_failed_inner_block_drops_its_rows_even_after_some_were_sent(case):
    with together():
        insert(event_for(case, "外一"))
        with pytest.raises(RuntimeError), together():
            insert(event_for(case, "内一"))
            CaseEvent.objects.filter(case=case).count()  # sends what is waiting
            insert(event_for(case, "内二"))
            raise RuntimeError("inner block fails")
        insert(event_for(case, "外二"))
    notes = set(CaseEvent.objects.filter(case=case).values_list("note", flat=True))
    assert {"外一", "外二"} <= notes and not notes & {"内一", "内二"}
