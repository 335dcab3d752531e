"""Inserts of the hot write paths with their SQL compiled once per model.

Django compiles an INSERT on every `save()` (the column list, each placeholder, the
RETURNING clause): a sixth of the CPU of a citizen's submission, which writes four rows.
`insert` writes a new instance the same way, from a statement kept per model and database.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import connections, models, router
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=models.Model)

_statements: dict[tuple[type[models.Model], str], tuple[str, list[models.Field]]] = {}


def insert(instance: M) -> M:
    """Save a new instance as `instance.save(force_insert=True)` would: auto fields
    (auto_now, uploads stored and named) filled, the primary key set. Models with their own
    save(), signal receivers, inheritance or database defaults, and values that are SQL
    expressions, go through Django's save so that nothing is skipped."""
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    if not _plain(model) or _explicit_auto_id(instance):
        instance.save(force_insert=True, using=alias)
        return instance
    # As save() does: refuse an unsaved related object, take a related object's new id.
    instance._prepare_related_fields_for_save(operation_name="insert")  # type: ignore[attr-defined]
    sql, fields = _statement(model, alias)
    values = [field.pre_save(instance, True) for field in fields]
    if any(hasattr(value, "resolve_expression") for value in values):
        instance.save(force_insert=True, using=alias)
        return instance
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
    return instance


def _plain(model: type[models.Model]) -> bool:
    meta = model._meta
    return (
        model.save is models.Model.save
        and model.save_base is models.Model.save_base
        and not meta.parents
        and not pre_save.has_listeners(model)
        and not post_save.has_listeners(model)
        and not any(
            field.has_db_default() or hasattr(field, "get_placeholder")
            for field in meta.local_concrete_fields
        )
    )


def _explicit_auto_id(instance: models.Model) -> bool:
    """An id given for an auto field: Django inserts it, the kept statement leaves it out."""
    auto_field = instance._meta.auto_field
    return auto_field is not None and getattr(instance, auto_field.attname) is not None


def _statement(model: type[models.Model], alias: str) -> tuple[str, list[models.Field]]:
    found = _statements.get((model, alias))
    if found is None:
        meta = model._meta
        quote = connections[alias].ops.quote_name
        # The columns Model._save_table inserts: all concrete ones but a generated id.
        fields = [
            field
            for field in meta.local_concrete_fields
            if field is not meta.auto_field and not field.generated
        ]
        columns = ", ".join(quote(str(field.column)) for field in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608 (model metadata)
            f"RETURNING {quote(str(meta.pk.column))}"
        )
        found = _statements[(model, alias)] = (sql, fields)
    return found
