"""The engines on one group: award, agreed volumes and allocation (or the optimiser) composed in one pure call, so
that the stored computations, ``award_preview``, the what-if comparison and the benchmark compute a group the same
way. Pure: plain data in, plain data out."""

from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

from .allocation import Allocation, DemandColumns, HospitalVolume, Winner, allocate_columns, integer_array
from .award_rules import BidInput, GroupAward, award_group
from .optimiser import optimise
from .volumes import agreed_quantities, agreed_ratio, agreed_volumes


@dataclass
class GroupComputation:
    """Award, agreed volume and allocation of one group, as the engines return them."""

    award: GroupAward
    ratio: Decimal
    demand_base: int
    agreed_total: int
    allocation: Allocation | None
    optimiser_status: str = ""

    def prices(self) -> dict[str, Decimal]:
        """Each winner's binding comparable price (its bid, or the revival price it accepted)."""
        return {o.supplier: o.revival_price if o.revived else o.comparable for o in self.award.winners}


def compute_group_award(
    ceiling: Decimal,
    code: str,
    parameters: dict,
    bids: list[tuple[BidInput, tuple[str, ...] | None]],
    demand: list[tuple[str, str, int, str | None, str | None]],
    regions: list[str],
    *,
    dosage_class: str | None = None,
    oral_solid: bool = False,
    revived: frozenset[str] = frozenset(),
    optimised: bool = False,
) -> GroupComputation:
    """The engines on one group. ``bids``: (bid, the regions its bid accepts or None); ``demand``: (hospital,
    region, quantity, brand supplier, chosen supplier). ``optimised`` picks the primary suppliers with the
    optimiser instead of the round robin. Used by ``award_preview``, the stored computations and the benchmark."""
    award = award_group(
        [bid for bid, _regions in bids],
        ceiling,
        code,
        parameters,
        dosage_class=dosage_class,
        oral_solid=oral_solid,
        revived=revived,
    )
    bid_regions = {bid.supplier: regions_of for bid, regions_of in bids}
    capacities = {bid.supplier: bid.capacity for bid, _regions in bids}
    winners = [Winner(o.supplier, o.rank, capacities[o.supplier], bid_regions[o.supplier]) for o in award.winners]
    ratio = agreed_ratio(parameters, len(winners))
    ordered = sorted(demand, key=itemgetter(0))  # hospital code order; already so when read from the database
    hospitals, hospital_regions, reported, brands, choices = (
        (list(column) for column in zip(*ordered, strict=True)) if ordered else ([], [], [], [], [])
    )
    all_regions = regions or sorted(set(hospital_regions))
    if len(set(hospitals)) == len(hospitals):
        demand_base = sum(reported)
        agreed_total, agreed = agreed_quantities(integer_array(reported), ratio)
    else:  # the same hospital twice: its last line counts, as a mapping of hospital to demand reads it
        demand_by_hospital = dict(zip(hospitals, reported, strict=True))
        demand_base = sum(demand_by_hospital.values())
        agreed_total, by_hospital = agreed_volumes(demand_by_hospital, ratio)
        agreed = integer_array([by_hospital[hospital] for hospital in hospitals])
    computation = GroupComputation(award, ratio, demand_base, agreed_total, None)
    if not winners:
        return computation
    columns = DemandColumns(hospitals, hospital_regions, agreed, brands, choices)
    if optimised:
        volumes = [
            HospitalVolume(*line)
            for line in zip(hospitals, hospital_regions, agreed.tolist(), brands, choices, strict=True)
        ]
        result = optimise(winners, all_regions, volumes, computation.prices())
        computation.optimiser_status = result.status
        computation.allocation = result.allocation
    else:
        computation.allocation = allocate_columns(winners, all_regions, columns)
    return computation
