"""Payment standards (医保支付标准) set when a round's award is published."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from core.money import round_unit_price

from ..engines import rules
from ..exceptions import PricingError
from ..models import (
    Listing,
    PaymentStandard,
)

# Payment standards.


def payment_standards_compute(*, tender_round, actor=None) -> int:
    """When a round is awarded: every product of its groups gets its payment standard (winners at their price,
    others by the 2019 rule against their listed price), effective from the cycle start. Computing again updates
    the same rows."""
    from procurement.models import AwardOutcome, AwardRun, Product
    from procurement.services.bidding import group_comparable_price

    run = AwardRun.objects.published().filter(round=tender_round).first()
    if run is None:
        raise PricingError(_("Payment standards follow a published award."), code="not_awarded")
    params = rules.parameters(tender_round.rule_set.parameters)
    start = tender_round.cycle_starts_on or timezone.localdate()
    count = 0
    with transaction.atomic():
        for group in tender_round.groups.all():
            winners = {
                o.opened_bid.product_id: o
                for o in AwardOutcome.objects.filter(run=run, group=group, won=True).select_related("opened_bid")
            }
            if not winners:
                continue
            lowest_win = min(o.winning_price for o in winners.values())
            products = Product.objects.filter(generic_name=group.generic_name, dosage_form=group.dosage_form)
            for product in products:
                outcome = winners.get(product.pk)
                listed = Listing.objects.filter(product=product, status=Listing.Status.LISTED).aggregate(
                    m=Min("price")
                )["m"]
                # The comparable price of a pack priced at one yuan: converts pack prices to comparable units.
                try:
                    factor = group_comparable_price(group, product, Decimal(1))
                except ValueError:  # strengths in units that do not convert
                    factor = None
                product_price = None
                if listed is not None and factor:
                    product_price = round_unit_price(listed * product.pack_size * factor)
                winning = outcome.winning_price if outcome else lowest_win
                standard = rules.payment_standard(
                    winning_price=winning,
                    product_price=product_price,
                    won=outcome is not None,
                    consistency_evaluated=product.quality_tier != "other",
                    params=params,
                )
                PaymentStandard.objects.update_or_create(
                    round=tender_round,
                    product=product,
                    defaults={
                        "group": group,
                        "basis": standard.basis,
                        "winning_price": standard.final,
                        "product_price": product_price,
                        "initial_standard": standard.initial,
                        "effective_from": start,
                        "convergence_years": int(params["convergence_years"]),
                        "per_pack_factor": factor,
                    },
                )
                count += 1
        audit.record(
            actor=actor,
            action="payment_standard.compute",
            instance=tender_round,
            after={"round": tender_round.code, "products": count},
        )
    return count
