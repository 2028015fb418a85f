"""Whether a supplier's credit standing allows it to take part: the hook bidding (and later listing and purchasing)
consults. Until the credit rating lands no measure exists, so every supplier may bid; the rating issue replaces the
body of ``bidding_eligibility`` with a look-up of the measures in force."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reasons: list[str] = field(default_factory=list)


def bidding_eligibility(*, supplier, tender_round, at: datetime) -> Eligibility:
    """May this supplier bid in this round at this time, and if not, why."""
    return Eligibility(allowed=True)
