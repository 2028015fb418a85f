"""Open data: a round as an Open Contracting Data Standard (OCDS 1.1) release package, with the bids and lots
extensions. Published (page and API) once the round's award is published, never before: the tender with its lots
(product groups) and items, every opened bid, the awards (winners at their winning price and allocated volume)
and the agreements signed under them. docs/trust.md describes the mapping."""

import logging
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone

from ..models import AwardOutcome, Contract, OpenedBid, ProductGroup, TenderRound
from ..models.rounds import RoundStatus
from ..services.contracts import winning_unit_price

EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
]
logger = logging.getLogger(__name__)
CURRENCY = "CNY"
PUBLIC_STATUSES = (RoundStatus.AWARDED, RoundStatus.IN_EFFECT, RoundStatus.CLOSED)
# The identifier scheme of the organisations' Unified Social Credit Code (统一社会信用代码).
IDENTIFIER_SCHEME = "CN-USCC"
# Items are classified by the national medical insurance drug code (国家医保药品代码), an extension of the open
# itemClassificationScheme codelist (procurement/ocds_review.py).
CLASSIFICATION_SCHEME = "CN-NHSA"
CENT = Decimal("0.01")


def publishable(tender_round: TenderRound) -> bool:
    """Only rounds whose award is published: their bids were opened long before."""
    return (
        tender_round.status in PUBLIC_STATUSES
        and tender_round.opened_at is not None
        and tender_round.award_runs.filter(published_at__isnull=False).exists()
    )


def ocid(tender_round: TenderRound) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-{tender_round.code}"


def _amount(value: Decimal) -> float | int:
    """A JSON number for a Decimal amount (the shortest float repr is exact at the platform's scales)."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _money(value: Decimal) -> dict:
    return {"amount": _amount(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)), "currency": CURRENCY}


def _unit_price(value: Decimal) -> dict:
    return {"amount": _amount(Decimal(value)), "currency": CURRENCY}


def _date(value) -> str:
    moment = value if isinstance(value, datetime) else timezone.make_aware(datetime.combine(value, time.min))
    return moment.astimezone(timezone.get_default_timezone()).isoformat(timespec="seconds")


def _party_id(organisation) -> str:
    return f"{IDENTIFIER_SCHEME}-{organisation.code}"


def _address(organisation) -> dict:
    region = organisation.region
    address = {"countryName": "中国"}
    if organisation.address:
        address["streetAddress"] = organisation.address
    if region.parent_id:
        address["locality"], address["region"] = region.name, region.parent.name
    else:
        address["region"] = region.name
    return address


def _contact_point(organisation) -> dict | None:
    contact = {
        "name": organisation.contact_name,
        "telephone": organisation.contact_phone,
        "email": organisation.contact_email,
    }
    contact = {key: value for key, value in contact.items() if value}
    return contact or None


def procuring_entity():
    """The procurement centre that runs the rounds (settings.OCDS_PROCURING_ENTITY_CODE, else the first authority)."""
    from accounts.models import Organisation

    authorities = Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).select_related("region__parent")
    named = authorities.filter(code=settings.OCDS_PROCURING_ENTITY_CODE).first()
    if settings.OCDS_PROCURING_ENTITY_CODE and named is None:
        logger.warning("OCDS_PROCURING_ENTITY_CODE names no authority organisation; the first one is published")
    return named or authorities.order_by("pk").first()


class _Parties:
    def __init__(self):
        self.by_id: dict[str, dict] = {}

    def add(self, organisation, role: str) -> dict:
        party_id = _party_id(organisation)
        party = self.by_id.get(party_id)
        if party is None:
            party = {
                "id": party_id,
                "name": organisation.name,
                "identifier": {"scheme": IDENTIFIER_SCHEME, "id": organisation.code, "legalName": organisation.name},
                "address": _address(organisation),
                "roles": [],
            }
            if contact := _contact_point(organisation):
                party["contactPoint"] = contact
            self.by_id[party_id] = party
        if role not in party["roles"]:
            party["roles"].append(role)
        return {"id": party_id, "name": organisation.name}

    def listed(self) -> list[dict]:
        return [self.by_id[key] for key in sorted(self.by_id)]


def release_package(tender_round: TenderRound, *, uri: str) -> dict:
    """The round's release package. The caller checks ``publishable`` first."""
    parties = _Parties()
    centre = procuring_entity()
    procuring = parties.add(centre, "procuringEntity")
    # The centre buys on behalf of the public hospitals of the province (each hospital is the buyer of its own
    # agreements, in the contract release).
    parties.add(centre, "buyer")
    groups = list(ProductGroup.objects.filter(round=tender_round).order_by("code"))
    demand = {group.pk: sum(group.demand_reports.values_list("quantity", flat=True)) for group in groups}
    bids = list(
        OpenedBid.objects.filter(round=tender_round)
        .select_related("group", "supplier", "product")
        .order_by("group__code", "supplier__code", "pk")
    )
    releases = [_tender_release(tender_round, groups, demand, bids, parties, procuring)]
    run = tender_round.award_runs.filter(published_at__isnull=False).order_by("-published_at").first()
    if run is not None:
        releases.append(_award_release(tender_round, run, parties))
        contracts = list(
            Contract.objects.filter(round=tender_round).select_related("group", "hospital", "supplier", "product")
        )
        if contracts:
            releases.append(_contract_release(tender_round, run, contracts, parties))
    for release in releases:
        release["buyer"] = procuring
        release["parties"] = parties.listed()
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _date(timezone.now()),
        "publisher": {
            "name": settings.OCDS_PUBLISHER_NAME or centre.name,
            "scheme": IDENTIFIER_SCHEME,
            "uid": centre.code,
        },
        "license": settings.OCDS_LICENSE,
        "extensions": EXTENSIONS,
        "releases": releases,
    }


def _lot_title(group: ProductGroup) -> str:
    return f"{group.code} {group.generic_name} {group.dosage_form}"


def _tender_release(tender_round, groups, demand, bids, parties, procuring) -> dict:
    tenderers = {}
    for bid in bids:
        tenderers[bid.supplier_id] = parties.add(bid.supplier, "tenderer")
    complete = tender_round.status in PUBLIC_STATUSES
    tender = {
        "id": tender_round.code,
        "title": tender_round.name,
        "status": "complete" if complete else "active",
        "procuringEntity": procuring,
        "procurementMethod": "open",
        "procurementMethodDetails": "centralised volume-based procurement (集中带量采购)",
        "mainProcurementCategory": "goods",
        "awardCriteria": "priceOnly",
        "awardCriteriaDetails": f"award rule set {tender_round.rule_set.code} v{tender_round.rule_set.version}",
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {"startDate": _date(tender_round.bid_opens_at), "endDate": _date(tender_round.bid_closes_at)},
        "awardPeriod": {"startDate": _date(tender_round.opened_at)},
        "numberOfTenderers": len(tenderers),
        "tenderers": [tenderers[key] for key in sorted(tenderers, key=lambda k: tenderers[k]["id"])],
        "lots": [
            {
                "id": group.code,
                "title": _lot_title(group),
                "status": "complete" if complete else "active",
                # The lot's maximum value: the ceiling price for the whole reported demand.
                "value": _money(group.ceiling_price * demand[group.pk]),
            }
            for group in groups
        ],
        "items": [
            {
                "id": group.code,
                "description": _lot_title(group),
                **(
                    {"classification": _classification(group.representative_product)}
                    if group.representative_product
                    else {}
                ),
                "quantity": demand[group.pk],
                "unit": {"name": group.smallest_unit, "value": _unit_price(group.ceiling_price)},
                "relatedLot": group.code,
            }
            for group in groups
        ],
    }
    statistics = []
    for group in groups:
        in_group = [bid for bid in bids if bid.group_id == group.pk]
        valid = [bid for bid in in_group if bid.valid]
        statistics.append(
            {"id": f"{group.code}-bids", "measure": "bids", "value": len(in_group), "relatedLot": group.code}
        )
        statistics.append(
            {"id": f"{group.code}-valid", "measure": "validBids", "value": len(valid), "relatedLot": group.code}
        )
        # One bid per supplier and lot: the disqualified bids are the disqualified bidders.
        statistics.append(
            {
                "id": f"{group.code}-disqualified",
                "measure": "disqualifiedBidders",
                "value": len(in_group) - len(valid),
                "relatedLot": group.code,
            }
        )
    details = []
    for bid in bids:
        detail = {
            "id": f"bid-{bid.pk}",
            "date": _date(bid.submitted_at),
            "status": "valid" if bid.valid else "disqualified",
            "tenderers": [tenderers[bid.supplier_id]],
            "relatedLots": [bid.group.code],
        }
        if bid.pack_price is not None:
            detail["value"] = _unit_price(bid.pack_price)  # per pack of the bid product (named in the award)
        details.append(detail)
    return {
        "ocid": ocid(tender_round),
        "id": f"{tender_round.code}-tender-{tender_round.opened_at:%Y%m%dT%H%M%S}",
        "date": _date(tender_round.opened_at),
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "zh",
        "tender": tender,
        "bids": {"statistics": statistics, "details": details},
    }


def _classification(product) -> dict:
    return {
        "scheme": CLASSIFICATION_SCHEME,
        "id": product.national_drug_code,
        "description": f"{product.generic_name} {product.dosage_form}",
    }


def award_id(tender_round, group_code: str, supplier_code: str) -> str:
    return f"{tender_round.code}-{group_code}-{supplier_code}"


def _award_release(tender_round, run, parties) -> dict:
    outcomes = (
        AwardOutcome.objects.filter(run=run, won=True)
        .select_related("group", "supplier", "opened_bid__product")
        .order_by("group__code", "rank", "supplier__code")
    )
    awards = []
    for outcome in outcomes:
        supplier = parties.add(outcome.supplier, "supplier")
        bid, product = outcome.opened_bid, outcome.opened_bid.product
        unit_price = winning_unit_price(outcome)
        awards.append(
            {
                "id": award_id(tender_round, outcome.group.code, outcome.supplier.code),
                "title": f"{_lot_title(outcome.group)} · {outcome.supplier.name}",
                "status": "active",
                "date": _date(run.published_at),
                "value": _money(unit_price * outcome.allocated),
                "suppliers": [supplier],
                "relatedLots": [outcome.group.code],
                "relatedBid": f"bid-{bid.pk}",
                "items": [
                    {
                        "id": product.national_drug_code,
                        "description": str(product),
                        "classification": _classification(product),
                        "quantity": outcome.allocated,
                        "unit": {"name": product.smallest_unit, "value": _unit_price(unit_price)},
                        "relatedLot": outcome.group.code,
                    }
                ],
            }
        )
    return {
        "ocid": ocid(tender_round),
        "id": f"{tender_round.code}-award-{run.pk}",
        "date": _date(run.published_at),
        "tag": ["award"],
        "initiationType": "tender",
        "language": "zh",
        "awards": awards,
    }


CONTRACT_STATUS = {"pending": "pending", "confirmed": "active", "terminated": "terminated", "ended": "terminated"}


def _contract_release(tender_round, run, contracts, parties) -> dict:
    rows = []
    for contract in sorted(contracts, key=lambda c: c.pk):
        parties.add(contract.hospital, "buyer")
        parties.add(contract.supplier, "supplier")
        signed = {}
        if contract.hospital_confirmed_at and contract.supplier_confirmed_at:
            # Signed when the second party confirmed.
            signed["dateSigned"] = _date(max(contract.hospital_confirmed_at, contract.supplier_confirmed_at))
        rows.append(
            {
                **signed,
                "id": f"contract-{contract.pk}",
                "awardID": award_id(tender_round, contract.group.code, contract.supplier.code),
                "title": f"{contract.hospital.name} · {_lot_title(contract.group)} · {contract.supplier.name}",
                "status": CONTRACT_STATUS.get(contract.status, "active"),
                "period": {"startDate": _date(contract.cycle_start), "endDate": _date(contract.cycle_end)},
                "value": _money(contract.unit_price * contract.agreed_quantity),
                "items": [
                    {
                        "id": contract.product.national_drug_code,
                        "description": str(contract.product),
                        "classification": _classification(contract.product),
                        "quantity": contract.agreed_quantity,
                        "unit": {
                            "name": contract.product.smallest_unit,
                            "value": _unit_price(contract.unit_price),
                        },
                    }
                ],
            }
        )
    latest = max(contract.created_at for contract in contracts)
    return {
        "ocid": ocid(tender_round),
        "id": f"{tender_round.code}-contracts-{latest:%Y%m%dT%H%M%S}",
        "date": _date(latest),
        "tag": ["contract"],
        "initiationType": "tender",
        "language": "zh",
        "contracts": rows,
    }


def validation_errors(package: dict) -> list[str]:
    """Everything the official OCDS review (libcoveocds, offline) reports as an error or a warning, and the
    platform's own consistency checks: empty for a package to publish (procurement/ocds_review.py)."""
    from .ocds_review import review

    found = review(package)
    return found["errors"] + found["warnings"]
