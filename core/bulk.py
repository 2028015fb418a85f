"""Set-based writes shared by the heavy services: COPY on PostgreSQL, ``bulk_create`` elsewhere.

Two entries, one writer: :func:`copy_rows` takes tuples of column values (millions of allocation lines, made by a
generator without an object per row); :func:`bulk_insert` takes instances or plain objects with the model's column
attributes and applies field defaults, JSON encoding and ``auto_now`` as ``save`` would."""

import json
from functools import partial
from operator import attrgetter

from django.db import connection, models


def bulk_insert(model: type[models.Model], objects: list, *, assign_ids: bool = False) -> int:
    """Insert unsaved instances, or plain objects with the model's column attributes (for large sets).

    On PostgreSQL by COPY (Django's multi-row insert spends most of its time adapting arrays); with ``assign_ids``
    the primary keys are drawn from the table's sequence first, so that rows pointing at these (many-to-many links,
    audit rows) can follow. Field defaults and ``auto_now_add`` apply as in save."""
    if not objects:
        return 0
    if connection.vendor != "postgresql":
        instances = [row if isinstance(row, model) else _instance(model, row) for row in objects]
        model.objects.bulk_create(instances, batch_size=2000)
        for row, instance in zip(objects, instances, strict=True):
            if row is not instance:
                row.pk = instance.pk
        return len(objects)
    table = model._meta.db_table
    pk = model._meta.pk
    if assign_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(objects)],
            )
            for instance, (value,) in zip(objects, cursor.fetchall(), strict=True):
                instance.pk = value
    fields = [field for field in model._meta.concrete_fields if assign_ids or field is not pk]
    # COPY adapts dates, numbers, booleans and text itself. JSON goes as its text (one encoder call, no adapter
    # object per value); only auto_now fields need pre_save. Plain columns only: one C-level getter per row.
    getters = []
    for field in fields:
        if isinstance(field, models.JSONField):
            getters.append(partial(_json_text, name=field.attname, encoder=field.encoder or json.JSONEncoder))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            getters.append(lambda instance, f=field: f.pre_save(instance, True))
        else:
            getters.append(attrgetter(field.attname))
    if len(fields) > 1 and all(isinstance(get, attrgetter) for get in getters):
        row_of = attrgetter(*(field.attname for field in fields))
    else:
        row_of = lambda instance: [get(instance) for get in getters]  # noqa: E731
    copy_rows(model, [field.attname for field in fields], map(row_of, objects))
    for instance in objects:
        if hasattr(instance, "_state"):
            instance._state.adding = False
    return len(objects)


def copy_rows(model: type[models.Model], attnames, rows, *, batch_size: int = 5000) -> int:
    """Insert ``rows`` (an iterable of tuples, one value per name in ``attnames``, e.g. ``"run_id"``) into the
    model's table: one COPY on PostgreSQL, batched ``bulk_create`` elsewhere. Values go as they are (no defaults,
    no encoding): the caller gives every column it needs. Returns the number of rows written."""
    attnames = list(attnames)
    count = 0
    if connection.vendor == "postgresql":
        by_attname = {field.attname: field.column for field in model._meta.concrete_fields}
        columns = ", ".join(connection.ops.quote_name(by_attname[name]) for name in attnames)
        statement = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(attnames, row, strict=True))))
        count += 1
        if len(batch) >= batch_size:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)
    return count


def _instance(model, row):
    """A model instance from a plain row object (the embedded database's bulk_create needs instances)."""
    values = {field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields}
    if values.get(model._meta.pk.attname) is None:
        values.pop(model._meta.pk.attname)
    return model(**values)


def _json_text(instance, *, name: str, encoder) -> str | None:
    value = getattr(instance, name)
    return None if value is None else json.dumps(value, cls=encoder, ensure_ascii=False)
