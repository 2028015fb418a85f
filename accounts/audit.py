"""The audit trail: every service records its state changes here, with the values before and after."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import translation

from . import audit_chain
from .models import AuditEntry


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The JSON-safe values of a model's concrete fields (foreign keys as ids, Decimals as strings)."""
    values = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, Decimal):
            # At the column's scale, so that 20 and 20.0000 read from the database are the same value.
            if isinstance(field, models.DecimalField):
                value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
            value = str(value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        values[field.name] = value
    return values


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    before, after = before or {}, after or {}
    return sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))


def record(
    *,
    actor,
    action: str,
    instance: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Write one audit row in the caller's transaction, so that a rolled-back change leaves no audit row.

    Bids and commitments of a round not yet opened never come here: their audit rows are written at the opening,
    at the times they happened, from the sealed participation (``procurement.participation.write_out``)."""
    entry = entry_for(actor=actor, action=action, instance=instance, before=before, after=after, reason=reason)
    entry.save()
    audit_chain.schedule_seal()
    return entry


def entry_for(*, actor, action: str, instance: models.Model, before=None, after=None, reason: str = "") -> AuditEntry:
    """An unsaved audit row, for services that write many changes at once (``record_many``)."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    # The object's name as the platform's own language writes it (choice labels of a name are translated), the
    # same whatever language the acting user, a command or a worker happens to run in.
    with translation.override(settings.LANGUAGE_CODE):
        object_repr = str(instance)[:200]
    return AuditEntry(
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else "system",
        organisation_id=getattr(actor, "organisation_id", None) if authenticated else None,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=object_repr,
        before=before,
        after=after,
        reason=reason,
    )


def record_many(entries: list[AuditEntry]) -> int:
    """Write unsaved audit rows in one set-based insert, in the caller's transaction."""
    from core.bulk import bulk_insert

    for entry in entries:
        if not entry.content_mac:
            entry.content_mac = audit_chain.content_mac(entry)
    count = bulk_insert(AuditEntry, entries)
    audit_chain.schedule_seal()
    return count


def trail(*instances: models.Model):
    """The audit rows about these objects, oldest first: what explains a decision, linked from its page."""
    condition = models.Q(pk__in=[])
    for instance in instances:
        condition |= models.Q(object_type=instance._meta.label_lower, object_id=str(instance.pk))
    return AuditEntry.objects.visible_now().filter(condition).order_by("created_at", "id")
