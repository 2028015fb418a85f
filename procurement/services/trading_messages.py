"""Bulk messages of an institution's information system (trading-rules.md, "Codes and validation"; issue 20 item
4): several orders, or the receipts of many delivery lines, in one request with one result per order or line.
Each order or receipt succeeds or fails on its own (its own savepoint), with the stable codes of the single calls;
the message is kept with its results under its ``Idempotency-Key``, so a retry gets the same answer and changes
nothing, and the same key with another message is refused (422)."""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..exceptions import IdempotencyKeyReused, ProcurementError
from ..models.trading import ShipmentLine, TradingMessage
from . import orders as order_services
from . import shipments as shipment_services

MAX_RECEIPTS = 2000
MAX_ORDERS = 200


def _hash(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _replay(actor, kind: str, key: str, digest: str) -> TradingMessage | None:
    found = TradingMessage.objects.filter(
        organisation_id=actor.organisation_id, kind=kind, idempotency_key=key
    ).first()
    if found is not None and found.request_hash != digest:
        raise IdempotencyKeyReused(
            _("This idempotency key was already used for a different message."), code="idempotency_key_reused"
        )
    return found


def _submit(actor, kind: str, key: str, payload: list, items: list, handle) -> tuple[TradingMessage, bool]:
    """``payload``: the message as sent (hashed for the replay check); ``items``: the same entries as ``handle``
    takes them."""
    if not key:
        raise ProcurementError(_("A bulk message needs an Idempotency-Key header."), code="idempotency_key")
    if not payload:
        raise ProcurementError(_("The message holds nothing to do."), code="empty")
    digest = _hash(payload)
    if (found := _replay(actor, kind, key, digest)) is not None:
        return found, True
    results = []
    for sent, item in zip(payload, items, strict=True):
        try:
            with transaction.atomic():
                results.append({**handle(item), "result": "accepted", "code": "", "message": ""})
        except ProcurementError as refusal:
            results.append(
                {**_reference(kind, sent), "result": "refused", "code": refusal.code, "message": refusal.message}
            )
    try:
        with transaction.atomic():
            message = TradingMessage.objects.create(
                organisation_id=actor.organisation_id,
                kind=kind,
                idempotency_key=key,
                request_hash=digest,
                results=results,
                created_by=actor,
            )
    except IntegrityError:
        # The same message arrived twice at once: the other one's results stand (ours were each refused as done).
        if (found := _replay(actor, kind, key, digest)) is not None:
            return found, True
        raise
    return message, False


def _reference(kind: str, item: dict) -> dict:
    return {"shpId": item.get("shpId")} if kind == TradingMessage.Kind.RECEIPTS else {"ref": item.get("ref", "")}


def receipts_submit(*, actor, receipts: list[dict], idempotency_key: str) -> tuple[TradingMessage, bool]:
    """``receipts``: ``{shpId, received_quantity, rejection_reason, arrived_at}`` each (checked by the caller's
    serializer); a line the institution cannot see is ``not_found``."""
    if len(receipts) > MAX_RECEIPTS:
        raise ProcurementError(
            _("A message holds at most %(count)s receipts.") % {"count": MAX_RECEIPTS}, code="too_many"
        )
    visible = ShipmentLine.objects.visible_to(actor)

    def handle(item):
        line = visible.select_related("shipment").filter(pk=item["shpId"]).first()
        if line is None:
            raise ProcurementError(_("No such delivery line of yours."), code="not_found")
        line = shipment_services.receipt_record(
            actor=actor,
            line=line,
            received=item["received_quantity"],
            reason=item.get("rejection_reason", ""),
            arrived_at=item.get("arrived_at"),
        )
        return {"shpId": line.pk}

    return _submit(actor, TradingMessage.Kind.RECEIPTS, idempotency_key, receipts, receipts, handle)


def orders_submit(*, actor, orders: list[dict], idempotency_key: str) -> tuple[TradingMessage, bool]:
    """``orders``: ``{ref, address, urgency, emergency_reason, send, lines: [(product, distributor, quantity)]}``
    with the rows already looked up by the caller; each order is sent (split per distributor) or refused whole."""
    if len(orders) > MAX_ORDERS:
        raise ProcurementError(_("A message holds at most %(count)s orders.") % {"count": MAX_ORDERS}, code="too_many")

    def handle(item):
        made, _replayed = order_services.order_submit(
            actor=actor,
            address=item["address"],
            lines=item["lines"],
            urgency=item["urgency"],
            emergency_reason=item["emergency_reason"],
            send=item["send"],
        )
        return {
            "ref": item["ref"],
            "orders": [order.number for order in made],
            "ordDetlIds": [pk for order in made for pk in order.lines.order_by("pk").values_list("pk", flat=True)],
        }

    payload = [
        {**item, "address": item["address"].pk, "lines": [(p.pk, d.pk, q) for p, d, q in item["lines"]]}
        for item in orders
    ]
    return _submit(actor, TradingMessage.Kind.ORDERS, idempotency_key, payload, orders, handle)
