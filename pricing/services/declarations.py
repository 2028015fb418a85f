"""Hospitals' declarations of what they bought outside the platform (the online-purchase rate's rest)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import access, audit

from ..exceptions import PricingError
from ..models import (
    OffPlatformPurchase,
)


def off_platform_declare(*, actor, month, category: str, amount) -> OffPlatformPurchase:
    """A hospital declares what it bought outside the platform in a month (the online-purchase rate's rest)."""
    if not access.is_hospital_user(actor):
        raise PricingError(_("A hospital declares its own purchases."), code="not_hospital")
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        raise PricingError(_("The amount is not a number."), code="amount") from None
    if not amount.is_finite() or amount < 0:
        raise PricingError(_("The amount must be zero or more."), code="amount")
    with transaction.atomic():
        declaration, _created = OffPlatformPurchase.objects.update_or_create(
            hospital_id=actor.organisation_id,
            month=month.replace(day=1),
            category=category,
            defaults={"amount": amount.quantize(Decimal("0.01")), "declared_by": actor},
        )
        audit.record(
            actor=actor,
            action="offplatform.declare",
            instance=declaration,
            after={"month": month.replace(day=1), "category": category, "amount": declaration.amount},
        )
    return declaration
