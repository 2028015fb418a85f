"""Award preview of an opened round (what-if): the award engines on the round's opened bids and reported demand,
under the round's rule set or another one, computed on demand and stored nowhere. Publishing an award is the award
issue's next step."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ..award_preview import compute_group
from ..award_rules import BidInput, RuleSetError
from ..exceptions import ProcurementError
from ..models import DemandReport, OpenedBid, RuleSet, TenderRound
from ..models.catalog import SmallestUnit

# Invalid at the opening for a reason the engine calls "ineligible" (above the ceiling it judges itself).
ENGINE_INELIGIBLE = {"ineligible", "no_commitment", "credit_restricted", "capacity_below_minimum", "hash_mismatch"}
ORAL_SOLID_UNITS = {SmallestUnit.TABLET, SmallestUnit.CAPSULE}


def round_award_preview(*, tender_round: TenderRound, rule_set: RuleSet | None = None, parameters=None) -> dict:
    """The exchange-format result for every group of an opened round."""
    if not tender_round.is_opened:
        raise ProcurementError(_("The award can be previewed only after the opening."), code="not_opened")
    rule_set = rule_set or tender_round.rule_set
    merged = {**rule_set.parameters, **(parameters or {})}
    regions = [region.code for region in tender_round.supply_regions()]
    groups = tender_round.groups.order_by("code").prefetch_related(
        Prefetch("opened_bids", queryset=OpenedBid.objects.select_related("supplier")),
        Prefetch("demand_reports", queryset=DemandReport.objects.select_related("hospital__region", "brand__holder")),
    )
    results = []
    for group in groups:
        bids = [
            (
                BidInput(
                    row.supplier.code,
                    row.comparable_price,
                    row.submitted_at,
                    row.capacity,
                    eligible=row.invalid_reason not in ENGINE_INELIGIBLE,
                ),
                tuple(row.regions) or None,
            )
            for row in group.opened_bids.all()
        ]
        demand = [
            (
                report.hospital.code,
                report.hospital.region.code,
                report.quantity,
                report.brand.holder.code if report.brand_id else None,
                None,
            )
            for report in group.demand_reports.all()
        ]
        try:
            results.append(
                compute_group(
                    group.code,
                    group.ceiling_price,
                    rule_set.code,
                    merged,
                    bids,
                    demand,
                    regions,
                    oral_solid=group.smallest_unit in ORAL_SOLID_UNITS,
                )
            )
        except (RuleSetError, KeyError) as error:
            raise ProcurementError(
                _("The rule set %(rule_set)s cannot be applied: %(error)s") % {"rule_set": rule_set, "error": error},
                code="rule_set",
            ) from None
    return {"rule_set": rule_set.code, "rule_set_version": str(rule_set.version), "groups": results}
