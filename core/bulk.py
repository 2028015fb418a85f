"""Set-based writes shared by the heavy services: COPY on PostgreSQL, ``bulk_create`` elsewhere."""

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
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
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
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for instance in objects:
            copy.write_row(row_of(instance))
    for instance in objects:
        if hasattr(instance, "_state"):
            instance._state.adding = False
    return len(objects)


def _instance(model, row):
    """A model instance from a plain row object (the embedded database's bulk_create needs instances)."""
    values = {field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields}
    if values.get(model._meta.pk.attname) is None:
        values.pop(model._meta.pk.attname)
    return model(**values)


def _json_text(instance, *, name: str, encoder) -> str | None:
    value = getattr(instance, name)
    return None if value is None else json.dumps(value, cls=encoder, ensure_ascii=False)
