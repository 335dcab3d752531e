"""Inserts of the hot write paths with their SQL compiled once per model.

Django compiles an INSERT on every `save()` (the column list, each placeholder, the
RETURNING clause): a sixth of the CPU of a citizen's submission, which writes four rows.
`insert` writes a new instance the same way, from a statement kept per model and database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import connections, models, router
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=models.Model)

Statement = tuple[str, list[models.Field]]
_statements: dict[tuple[type[models.Model], str], Statement | None] = {}


def insert(instance: M) -> M:
    """Save a new instance as `instance.save(force_insert=True)` would: pre_save and
    post_save sent, auto fields (auto_now, uploads stored and named) filled, the primary key
    set. Models with their own save(), inheritance or database defaults, and values that are
    SQL expressions, go through Django's save so that nothing is skipped."""
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    statement = _statement(model, alias) if _plain(model) else None
    if statement is None or _explicit_auto_id(instance) or _expression_given(instance):
        instance.save(force_insert=True, using=alias)
        return instance
    # As save() does: refuse an unsaved related object, take a related object's new id.
    instance._prepare_related_fields_for_save(operation_name="insert")  # type: ignore[attr-defined]
    signal = {"sender": model, "instance": instance, "raw": False, "using": alias}
    pre_save.send(**signal, update_fields=None)
    sql, fields = statement
    values = [field.pre_save(instance, True) for field in fields]
    connection = connections[alias]
    params = [
        field.get_db_prep_save(value, connection=connection)
        for field, value in zip(fields, values, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0]
    setattr(instance, model._meta.pk.attname, pk)
    instance._state.adding = False
    instance._state.db = alias
    post_save.send(**signal, created=True, update_fields=None)
    return instance


def _plain(model: type[models.Model]) -> bool:
    """Nothing of save() but the signals and the INSERT to do."""
    return (
        model.save is models.Model.save
        and model.save_base is models.Model.save_base
        and not model._meta.parents
    )


def _expression_given(instance: models.Model) -> bool:
    """A value that is SQL (F(), a function): Django's compiler writes it into the INSERT."""
    return any(
        hasattr(getattr(instance, field.attname), "resolve_expression")
        for field in instance._meta.local_concrete_fields
    )


def _explicit_auto_id(instance: models.Model) -> bool:
    """An id given for an auto field: Django inserts it, the kept statement leaves it out."""
    auto_field = instance._meta.auto_field
    return auto_field is not None and getattr(instance, auto_field.attname) is not None


def _statement(model: type[models.Model], alias: str) -> Statement | None:
    """The model's INSERT and its fields; None when a field needs Django's compiler (a
    database default, a placeholder of its own)."""
    key = (model, alias)
    if key not in _statements:
        _statements[key] = _compiled(model, connections[alias].ops.quote_name)
    return _statements[key]


def _compiled(model: type[models.Model], quote: Callable[[str], str]) -> Statement | None:
    meta = model._meta
    # The columns Model._save_table inserts: all concrete ones but a generated id.
    fields = [
        field
        for field in meta.local_concrete_fields
        if field is not meta.auto_field and not field.generated
    ]
    if any(field.has_db_default() or hasattr(field, "get_placeholder") for field in fields):
        return None
    columns = ", ".join(quote(str(field.column)) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608 (model metadata)
        f"RETURNING {quote(str(meta.pk.column))}"
    )
    return sql, fields
