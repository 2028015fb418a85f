"""Sealed bidding (投标): submit, amend and withdraw within the bid window, by the server clock.

Race-free deadline: each bid takes a shared lock on its round row and checks the server time against the closing
time inside its transaction; closing takes an exclusive lock. A bid confirmed to a supplier is therefore always
seen by the opening, and a bid stamped at or after the closing time is refused whatever the scheduler is doing.

Until the opening a supplier's bids are not rows of their own: every version (with its receipt and the round-sealed
content) is added to the supplier's sealed part in the round (``procurement.participation``), so that the database
shows neither who bids nor how many bids there are.
"""

import base64
import hashlib
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import access
from core.money import MAX_UNIT_PRICE, InvalidPrice, parse_unit_price
from credit.selectors.eligibility import bidding_eligibility

from .. import participation
from ..engines.comparable import Coefficients, Presentation, comparable_price
from ..exceptions import IdempotencyKeyReused, ProcurementError
from ..models import Bid, BidVersion, Product, ProductGroup, TenderRound
from ..models.rounds import RoundStatus
from ..sealing import associated_data, canonical, keyed_digest, receipt_hash, seal
from .rounds import lock_round

# A pack price is below 10^10 yuan: OpenedBid.pack_price has 14 digits, 4 of them decimals.
MAX_PRICE = MAX_UNIT_PRICE
# The largest supply capacity a bid may state (smallest units a year): far beyond any national demand, and well
# within the opening table's 64-bit column, so that no bid can make its round impossible to open.
MAX_CAPACITY = 10**12


def group_comparable_price(group: ProductGroup, product: Product, pack_price: Decimal) -> Decimal:
    """The comparable price of a pack price for this group's representative product, with the round's coefficients."""
    tender_round = group.round
    return comparable_price(
        pack_price,
        Presentation(product.strength_amount, product.strength_unit, product.pack_size),
        Presentation(group.reference_strength, group.reference_strength_unit, group.reference_pack),
        Coefficients(k_strength=tender_round.k_strength, k_pack=tender_round.k_pack),
    )


def parse_price(value) -> Decimal:
    """A bid's pack price as typed (core.money decides what a price may be)."""
    try:
        return parse_unit_price(value, maximum=MAX_PRICE)
    except InvalidPrice as problem:
        raise ProcurementError(problem.message, code=problem.code) from None


def eligible_products_for(supplier, group: ProductGroup):
    """The supplier's products that may bid in this group (its own, active, of a qualifying tier)."""
    return group.eligible_products.filter(holder=supplier, is_active=True, quality_tier__in=group.qualifying_tiers)


def _request_hash(**fields) -> str:
    """The fingerprint that tells a retried request from a different one with the same idempotency key. It is
    derived from the sealed price, so it is keyed (outside the database): the keyed hash of the content's SHA-256
    (stored rows from before were re-keyed the same way by migration 0009)."""
    return keyed_digest("bid-request", hashlib.sha256(canonical(fields)).hexdigest().encode())


def _replayed(state: dict, idempotency_key: str, request_hash: str) -> dict | None:
    """The version a request with this idempotency key made in this round, if any (keys are scoped to the
    supplier's part in a round: docs/decisions.md)."""
    if not idempotency_key:
        return None
    for version in state["versions"]:
        if version["key"] == idempotency_key:
            if version["request"] != request_hash:
                raise IdempotencyKeyReused(
                    _("This idempotency key was already used for a different request."), code="idempotency_key_reused"
                )
            return version
    return None


def _check_window(tender_round: TenderRound, now) -> None:
    if tender_round.status not in (RoundStatus.DEMAND, RoundStatus.BIDDING, RoundStatus.BIDS_CLOSED):
        raise ProcurementError(_("This round is not taking bids."), code="bid_window_closed")
    if now < tender_round.bid_opens_at:
        raise ProcurementError(
            _("The bid window opens at %(time)s.")
            % {"time": formats.date_format(timezone.localtime(tender_round.bid_opens_at), "Y-m-d H:i:s")},
            code="bid_window_not_open",
        )
    if now >= tender_round.bid_closes_at:
        raise ProcurementError(
            _("The bid window closed at %(closed)s; this request arrived at %(now)s and was refused.")
            % {
                "closed": formats.date_format(timezone.localtime(tender_round.bid_closes_at), "Y-m-d H:i:s"),
                "now": formats.date_format(timezone.localtime(now), "Y-m-d H:i:s"),
            },
            code="bid_window_closed",
        )


def _check_supplier_may_bid(actor, tender_round: TenderRound, now, state: dict, product: Product | None = None):
    supplier = actor.organisation
    if not state["commitment"]:
        raise ProcurementError(_("Sign the credit commitment for this round before bidding."), code="no_commitment")
    eligibility = bidding_eligibility(supplier=supplier, tender_round=tender_round, at=now, product=product)
    if not eligibility.allowed:
        raise ProcurementError(
            _("A credit measure bars this supplier from bidding: %(reasons)s")
            % {"reasons": "; ".join(eligibility.reasons)},
            code="credit_restricted",
        )


def _identity(tender_round: TenderRound, group: ProductGroup, actor, number: int, now) -> dict:
    """What every sealed version says about itself; with a random salt the receipt hash reveals nothing."""
    return {
        "round": tender_round.code,
        "group": group.code,
        "supplier": actor.organisation.code,
        "version": number,
        "submitted_at": now.isoformat(),
        "salt": secrets.token_hex(16),
    }


def _change_bid(
    *, actor, group: ProductGroup, status: str, idempotency_key: str, request_hash: str, check, content_for
) -> BidVersion:
    """The frame of every bid change: under the round's shared lock and the lock of the supplier's sealed part in
    the round (``procurement.participation``), within the window, run the change's own checks and add the next
    version to that part. A retried request (same idempotency key) gets the version it made, even after the
    window has closed; two at once are serialised by the lock, so the second replays the first."""
    now = timezone.now()
    with transaction.atomic():
        tender_round = lock_round(group.round, shared=True)
        if participation.written_out(tender_round):
            raise ProcurementError(_("This round is not taking bids."), code="bid_window_closed")
        slot, state = participation.locked(tender_round, actor.organisation_id)
        replay = _replayed(state, idempotency_key, request_hash)
        if replay:
            replayed_group = group if replay["group"] == group.pk else ProductGroup.objects.get(pk=replay["group"])
            return participation.version_instance(tender_round, replayed_group, state, replay)
        _check_window(tender_round, now)
        check(tender_round, now, state)
        if len(state["versions"]) >= settings.PARTICIPATION_MAX_CHANGES:
            raise ProcurementError(
                _("A supplier may change its bids in a round at most %(max)s times.")
                % {"max": settings.PARTICIPATION_MAX_CHANGES},
                code="too_many_changes",
            )
        previous = state["bids"].get(str(group.pk))
        number = (previous["current"] if previous else 0) + 1
        # The version number is part of the sealed content and of its associated data: sealed once it is known.
        action, content, sealed = content_for(tender_round, now, number)
        version = {
            "id": str(uuid.uuid4()),
            "group": group.pk,
            "number": number,
            "action": action,
            "at": now.isoformat(),
            "by": actor.pk,
            "receipt": receipt_hash(content),
            "key": idempotency_key,
            "request": request_hash,
        }
        state["bids"][str(group.pk)] = {
            "status": status,
            "current": number,
            "at": now.isoformat(),
            "content": base64.b64encode(sealed).decode() if sealed else None,
        }
        state["versions"].append(version)
        participation.store(tender_round, slot, state)
    return participation.version_instance(tender_round, group, state, version)


def bid_submit(
    *,
    actor,
    group: ProductGroup,
    product: Product | str,
    price,
    capacity: int | None = None,
    regions=(),
    idempotency_key: str = "",
) -> BidVersion:
    """Submit or amend this supplier's sealed bid for a group; returns the version with its receipt hash.

    ``product`` is one of the supplier's products, or its national drug code (as the API receives it)."""
    if not access.is_supplier_user(actor):
        raise ProcurementError(_("Only a supplier submits bids."), code="not_supplier")
    price = parse_price(price)
    regions = sorted(set(regions))
    product_code = product if isinstance(product, str) else product.national_drug_code

    def check(tender_round, now, state):
        eligible = eligible_products_for(actor.organisation, group).filter(national_drug_code=product_code).first()
        _check_supplier_may_bid(actor, tender_round, now, state, eligible)
        if eligible is None:
            raise ProcurementError(
                _("This product is not one of your eligible products for the group."), code="ineligible_product"
            )
        if capacity is not None and capacity <= 0:
            raise ProcurementError(_("The supply capacity must be greater than zero."), code="capacity")
        if capacity is not None and capacity > MAX_CAPACITY:
            raise ProcurementError(
                _("The supply capacity can be at most %(max)s smallest units a year.") % {"max": f"{MAX_CAPACITY:,}"},
                code="capacity",
            )
        # The ceiling is public: a bid above it would only be void at the opening, so it is refused now.
        comparable = group_comparable_price(group, eligible, price)
        ceiling = group.ceiling_for(eligible.strength_amount, eligible.strength_unit)
        if comparable > ceiling:
            raise ProcurementError(
                _(
                    "The unit-comparable price of this bid is %(comparable)s yuan, above the group's ceiling of "
                    "%(ceiling)s yuan: the bid was not sealed."
                )
                % {"comparable": comparable, "ceiling": ceiling},
                code="above_ceiling",
            )
        allowed_regions = {region.code for region in tender_round.supply_regions()} if regions else set()
        if not set(regions) <= allowed_regions:
            raise ProcurementError(
                _("Unknown supply regions: %(regions)s")
                % {"regions": ", ".join(sorted(set(regions) - allowed_regions))},
                code="regions",
            )

    def content_for(tender_round, now, number):
        content = _identity(tender_round, group, actor, number, now)
        content.update(product=product_code, price=str(price), capacity=capacity, regions=regions)
        aad = associated_data(
            round_code=tender_round.code, group_code=group.code, supplier_code=actor.organisation.code, version=number
        )
        action = BidVersion.Action.SUBMIT if number == 1 else BidVersion.Action.AMEND
        return action, content, seal(tender_round, content, aad)

    request_hash = _request_hash(
        action="submit", group=group.pk, product=product_code, price=str(price), capacity=capacity, regions=regions
    )
    return _change_bid(
        actor=actor,
        group=group,
        status=Bid.Status.ACTIVE,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        check=check,
        content_for=content_for,
    )


def bid_withdraw(*, actor, group: ProductGroup, idempotency_key: str = "") -> BidVersion:
    """Withdraw this supplier's bid for a group before the close (it may bid again before the close)."""
    if not access.is_supplier_user(actor):
        raise ProcurementError(_("Only a supplier withdraws bids."), code="not_supplier")

    def check(tender_round, now, state):
        bid = state["bids"].get(str(group.pk))
        if bid is None or bid["status"] != Bid.Status.ACTIVE:
            raise ProcurementError(_("There is no submitted bid to withdraw."), code="nothing_to_withdraw")

    def content_for(tender_round, now, number):
        return (
            BidVersion.Action.WITHDRAW,
            {**_identity(tender_round, group, actor, number, now), "action": "withdraw"},
            None,
        )

    return _change_bid(
        actor=actor,
        group=group,
        status=Bid.Status.WITHDRAWN,
        idempotency_key=idempotency_key,
        request_hash=_request_hash(action="withdraw", group=group.pk),
        check=check,
        content_for=content_for,
    )
