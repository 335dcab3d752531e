"""Inserts of the hot write paths with their SQL compiled once per model, sent together.

Django compiles an INSERT on every `save()` (the column list, each placeholder, the
RETURNING clause): a sixth of the CPU of a citizen's submission, which writes four rows.
`insert` writes a new instance the same way, from a statement kept per model and database.

Inside `together()`, on PostgreSQL, the rows `insert` is given travel to the database in one
round trip: each statement of a transaction otherwise costs a round trip, and BEGIN, four or
five INSERTs and COMMIT were two fifths of the CPU of a submission (PostgreSQL's and ours).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.models.signals import post_save, pre_save
from psycopg import abc
from psycopg.adapt import Transformer

M = TypeVar("M", bound=models.Model)

# (the INSERT with %s placeholders, its fields, the SQL between the placeholders)
Statement = tuple[str, list[models.Field], list[bytes]]
_statements: dict[tuple[type[models.Model], str, bool], Statement | None] = {}
_local = threading.local()  # the open batch: Django's connections are per thread too


@dataclass
class _Row:
    instance: models.Model
    params: list[Any]
    parts: list[bytes]  # its statement's SQL around the placeholders

    def merged(self, tx: abc.Transformer) -> bytes:
        """The statement with its values written in, each as psycopg's client-side binding
        writes it (`as_literal`)."""
        chunks = [self.parts[0]]
        for value, part in zip(self.params, self.parts[1:], strict=True):
            chunks.append(b"NULL" if value is None else tx.as_literal(value))
            chunks.append(part)
        return b"".join(chunks)


@dataclass
class _Batch:
    """Rows given to `insert`, not yet sent. Any other statement on the connection sends
    them first, so every query sees the rows inserted before it, as without a batch."""

    alias: str
    rows: list[_Row] = field(default_factory=list)
    added: int = 0  # rows given so far, sent or not
    sending: bool = False

    def add(self, row: _Row) -> None:
        self.rows.append(row)
        self.added += 1

    def drop_since(self, added: int) -> None:
        """Forget the rows given after the first `added` that are not sent yet (the newest
        ones): their block was rolled back."""
        unsent = min(len(self.rows), self.added - added)
        del self.rows[len(self.rows) - unsent :]

    def before_other(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if not self.sending:
            self.send()
        return execute(sql, params, many, context)

    def send(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        self.sending = True
        try:
            with connections[self.alias].cursor() as cursor:
                # One simple-query message: the statements run in order, each returns its id.
                # The values are written into each statement here, around placeholders found
                # once per statement, with one Transformer for the message (its intended life:
                # one query). cursor.mogrify per row built a new one each time, looking up each
                # value's dumper again, and parsed the case's long INSERT anew (psycopg keeps
                # the parse only for statements of at most 50 values): a tenth of a
                # submission's CPU in the server.
                tx = Transformer(cursor.cursor)  # psycopg's cursor, as its mogrify does
                message = b";\n".join(row.merged(tx) for row in rows)
                cursor.execute(message.decode(tx.encoding))
                for n, row in enumerate(rows):
                    if n:
                        cursor.nextset()
                    _inserted(row.instance, cursor.fetchone()[0], self.alias)
        finally:
            self.sending = False


@contextmanager
def together(*, using: str = DEFAULT_DB_ALIAS, savepoint: bool = True) -> Iterator[None]:
    """`transaction.atomic` whose `insert`s are sent in one round trip (PostgreSQL, with
    Django's client-side parameters): when the block ends, or before any other statement.

    A row's values and its pre_save signal are taken when `insert` is called; a database-made
    id, and post_save, come when the row is sent. So a row that a later row of the block
    refers to needs its id given beforehand (from its sequence), and the block must not read
    the id of a row it inserted without one. Blocks inside the block join it."""
    connection = connections[using]
    batch: _Batch | None = getattr(_local, "batch", None)
    if batch is not None or not _batches(using):
        before = batch.added if batch is not None else 0
        try:
            with transaction.atomic(using=using, savepoint=savepoint):
                yield
        except BaseException:
            if batch is not None and batch.alias == using:
                batch.drop_since(before)  # rolled back with the block: never to be sent
            raise
        return
    _local.batch = batch = _Batch(using)
    try:
        with (
            transaction.atomic(using=using, savepoint=savepoint),
            connection.execute_wrapper(batch.before_other),
        ):
            yield
            batch.send()
    finally:
        _local.batch = None


def _batches(alias: str) -> bool:
    """Several statements with parameters in one message: psycopg's client-side binding."""
    connection = connections[alias]
    return connection.vendor == "postgresql" and not connection.settings_dict.get(
        "OPTIONS", {}
    ).get("server_side_binding")


def insert(instance: M) -> M:
    """Save a new instance as `instance.save(force_insert=True)` would: pre_save and
    post_save sent, auto fields (auto_now, uploads stored and named) filled, the primary key
    set. Models with their own save(), inheritance or database defaults, and values that are
    SQL expressions, go through Django's save so that nothing is skipped."""
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    statement = _statement(model, alias, _explicit_auto_id(instance)) if _plain(model) else None
    if statement is None or _expression_given(instance):
        instance.save(force_insert=True, using=alias)
        return instance
    # As save() does: refuse an unsaved related object, take a related object's new id.
    instance._prepare_related_fields_for_save(operation_name="insert")  # type: ignore[attr-defined]
    signal = {"sender": model, "instance": instance, "raw": False, "using": alias}
    pre_save.send(**signal, update_fields=None)
    sql, fields, parts = statement
    values = [field.pre_save(instance, True) for field in fields]
    connection = connections[alias]
    params = [
        field.get_db_prep_save(value, connection=connection)
        for field, value in zip(fields, values, strict=True)
    ]
    batch: _Batch | None = getattr(_local, "batch", None)
    if batch is not None and batch.alias == alias:
        batch.add(_Row(instance, params, parts))
        return instance
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0]
    _inserted(instance, pk, alias)
    return instance


def _inserted(instance: models.Model, pk: Any, alias: str) -> None:
    setattr(instance, instance._meta.pk.attname, pk)
    instance._state.adding = False
    instance._state.db = alias
    post_save.send(
        sender=type(instance),
        instance=instance,
        raw=False,
        using=alias,
        created=True,
        update_fields=None,
    )


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
    """An id given for an auto field (drawn from its sequence beforehand): written with the
    other columns."""
    auto_field = instance._meta.auto_field
    return auto_field is not None and getattr(instance, auto_field.attname) is not None


def _statement(model: type[models.Model], alias: str, with_id: bool) -> Statement | None:
    """The model's INSERT and its fields (`with_id`: the auto id's column too); None when a
    field needs Django's compiler (a database default, a placeholder of its own)."""
    key = (model, alias, with_id)
    if key not in _statements:
        _statements[key] = _compiled(model, connections[alias].ops.quote_name, with_id)
    return _statements[key]


def _compiled(
    model: type[models.Model], quote: Callable[[str], str], with_id: bool
) -> Statement | None:
    meta = model._meta
    # The columns Model._save_table inserts: all concrete ones but a generated id.
    fields = [
        field
        for field in meta.local_concrete_fields
        if (with_id or field is not meta.auto_field) and not field.generated
    ]
    if any(field.has_db_default() or hasattr(field, "get_placeholder") for field in fields):
        return None
    columns = ", ".join(quote(str(field.column)) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608 (model metadata)
        f"RETURNING {quote(str(meta.pk.column))}"
    )
    parts = sql.encode().split(b"%s")
    if any(b"%" in part for part in parts):  # a name with "%": psycopg's parse would differ
        return None
    return sql, fields, parts
