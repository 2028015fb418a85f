"""Deliveries (配送): the supplier records a shipment against an agreement, the hospital confirms receipt; on time
means received within the lead time after the order date (3 days in the supplier's own city, 5 elsewhere). The
delivered quantities move the agreement's and the rollup's figures in the same transaction."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit

from ..engines import completion
from ..exceptions import ProcurementError
from ..models import CompletionRollup, Contract, Delivery


def delivery_record(
    *, actor, contract: Contract, order_number: str, ordered_on: date, shipped_on: date, quantity: int
) -> Delivery:
    """The supplier of the agreement records a shipment (a credit measure restricting delivery refuses it)."""
    from credit.selectors.eligibility import delivery_eligibility

    if not (access.is_supplier_user(actor) and actor.organisation_id == contract.supplier_id):
        raise ProcurementError(_("The supplier of the agreement records its deliveries."), code="not_party")
    if not contract.is_active:
        raise ProcurementError(_("This agreement is no longer in force."), code="not_active")
    if not isinstance(quantity, int) or quantity <= 0:
        raise ProcurementError(_("The quantity must be a whole number greater than zero."), code="quantity")
    today = timezone.localdate()
    if shipped_on > today or ordered_on > shipped_on:
        raise ProcurementError(_("A shipment follows its order and is not in the future."), code="dates")
    eligibility = delivery_eligibility(supplier=contract.supplier, product=contract.product, at=shipped_on)
    if not eligibility.allowed:
        raise ProcurementError(
            _("A credit measure bars this delivery: %(reasons)s") % {"reasons": "; ".join(eligibility.reasons)},
            code="credit_restricted",
        )
    params = completion.parameters(contract.round.rule_set.parameters)
    same_city = contract.hospital.region_id == contract.supplier.region_id
    due_on = ordered_on + timedelta(days=completion.lead_time_days(same_city=same_city, params=params))
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                contract=contract, supplier_id=contract.supplier_id, hospital_id=contract.hospital_id,
                order_number=order_number.strip(), ordered_on=ordered_on, shipped_on=shipped_on, quantity=quantity,
                due_on=due_on, recorded_by=actor,
            )  # fmt: skip
            audit.record(
                actor=actor,
                action="delivery.ship",
                instance=delivery,
                after={"contract": contract.pk, "quantity": quantity, "due_on": due_on.isoformat()},
            )
    except IntegrityError:
        raise ProcurementError(_("This order's delivery is already recorded."), code="duplicate") from None
    return delivery


def delivery_confirm(*, actor, delivery: Delivery, received_on: date | None = None) -> Delivery:
    """The hospital confirms receipt; the delivered (and on-time) quantities are added to the agreement and the
    rollup. Confirming again changes nothing."""
    if not (access.is_hospital_user(actor) and actor.organisation_id == delivery.hospital_id):
        raise ProcurementError(_("The receiving hospital confirms a delivery."), code="not_party")
    received_on = received_on or timezone.localdate()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("contract").get(pk=delivery.pk)
        if delivery.received_on is not None:
            return delivery
        if received_on < delivery.shipped_on or received_on > timezone.localdate():
            raise ProcurementError(_("Receipt falls between the shipment and today."), code="dates")
        delivery.received_on, delivery.received_by = received_on, actor
        delivery.save(update_fields=["received_on", "received_by"])
        on_time = delivery.quantity if delivery.on_time else 0
        contract = delivery.contract
        Contract.objects.filter(pk=contract.pk).update(
            delivered_quantity=F("delivered_quantity") + delivery.quantity,
            delivered_on_time_quantity=F("delivered_on_time_quantity") + on_time,
        )
        CompletionRollup.objects.filter(
            round_id=contract.round_id, group_id=contract.group_id, region_id=contract.region_id,
            supplier_id=contract.supplier_id,
        ).update(
            delivered_quantity=F("delivered_quantity") + delivery.quantity,
            delivered_on_time_quantity=F("delivered_on_time_quantity") + on_time,
        )  # fmt: skip
        audit.record(
            actor=actor,
            action="delivery.receive",
            instance=delivery,
            after={"received_on": received_on.isoformat(), "on_time": bool(on_time)},
        )
    return delivery
