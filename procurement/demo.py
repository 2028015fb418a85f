"""Demo rounds for ``manage.py load_demo``: one collecting demand, one taking bids, one opened with its table.

Everything goes through the services (so it is audited and sealed like real use); a round that exists is left as
it is, which makes loading idempotent.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts import uscc
from accounts.models import Organisation, Role, User

from . import services
from .models import Product, RuleSet, TenderRound

# (code, generic name, dosage form, strength, unit, pack, smallest unit, tier, supplier index)
PRODUCTS = [
    ("XC10AAA0500100101", "阿托伐他汀钙片", "片剂", "10", "mg", 28, "tablet", "originator_reference", 3),
    ("XC10AAA0500100102", "阿托伐他汀钙片", "片剂", "20", "mg", 14, "tablet", "consistency_passed", 0),
    ("XC10AAA0500100103", "阿托伐他汀钙片", "片剂", "20", "mg", 7, "tablet", "consistency_passed", 1),
    ("XC10AAB0700100101", "瑞舒伐他汀钙片", "片剂", "10", "mg", 28, "tablet", "consistency_passed", 2),
    ("XC10AAB0700100102", "瑞舒伐他汀钙片", "片剂", "5", "mg", 28, "tablet", "consistency_passed", 4),
    ("XC08CAA0100100101", "苯磺酸氨氯地平片", "片剂", "5", "mg", 28, "tablet", "originator_reference", 5),
    ("XC08CAA0100100102", "苯磺酸氨氯地平片", "片剂", "5", "mg", 14, "tablet", "consistency_passed", 0),
    ("XA10BAA0200100101", "盐酸二甲双胍缓释片", "片剂", "0.5", "g", 30, "tablet", "consistency_passed", 1),
    ("XJ05AFE0100100101", "恩替卡韦片", "片剂", "0.5", "mg", 28, "tablet", "consistency_passed", 2),
    ("XJ05AFE0100100102", "恩替卡韦片", "片剂", "1", "mg", 7, "tablet", "other", 3),
    ("XA02BCA0100200101", "奥美拉唑肠溶胶囊", "胶囊剂", "20", "mg", 14, "capsule", "consistency_passed", 4),
    ("XJ01CAA0400200101", "阿莫西林胶囊", "胶囊剂", "0.25", "g", 24, "capsule", "consistency_passed", 5),
    ("XJ01MAL0100100101", "左氧氟沙星片", "片剂", "0.5", "g", 6, "tablet", "consistency_passed", 0),
    ("XM01AEA0100200101", "布洛芬缓释胶囊", "胶囊剂", "0.3", "g", 20, "capsule", "originator_reference", 1),
]


def _catalog() -> None:
    """The demo catalog: products of the demo suppliers (accounts.demo creates them first)."""
    suppliers = [
        Organisation.objects.get(code=uscc.complete(first17[:17])) for first17, _name, _city in accounts_demo.SUPPLIERS
    ]
    for code, generic, form, strength, unit, pack, smallest, tier, supplier_index in PRODUCTS:
        Product.objects.update_or_create(
            national_drug_code=code,
            defaults={
                "generic_name": generic,
                "dosage_form": form,
                "strength_amount": Decimal(strength),
                "strength_unit": unit,
                "pack_size": pack,
                "smallest_unit": smallest,
                "quality_tier": tier,
                "holder": suppliers[supplier_index],
            },
        )


# (code, generic name, dosage form, reference strength, unit, reference pack, smallest unit, ceiling per unit)
GROUPS = {
    "atorvastatin": ("G01", "阿托伐他汀钙片", "片剂", "20", "mg", 7, "tablet", "0.9000"),
    "rosuvastatin": ("G02", "瑞舒伐他汀钙片", "片剂", "10", "mg", 7, "tablet", "0.7800"),
    "amlodipine": ("G03", "苯磺酸氨氯地平片", "片剂", "5", "mg", 7, "tablet", "0.5000"),
    "entecavir": ("G01", "恩替卡韦片", "片剂", "0.5", "mg", 7, "tablet", "1.5000"),
    "omeprazole": ("G02", "奥美拉唑肠溶胶囊", "胶囊剂", "20", "mg", 7, "capsule", "0.6000"),
}


def _group(officer, tender_round, key):
    code, generic, form, strength, unit, pack, smallest, ceiling = GROUPS[key]
    products = Product.objects.filter(generic_name=generic, dosage_form=form)
    return services.group_save(
        actor=officer,
        tender_round=tender_round,
        eligible_products=products,
        code=code,
        generic_name=generic,
        dosage_form=form,
        qualifying_tiers=["originator_reference", "consistency_passed"],
        reference_strength=Decimal(strength),
        reference_strength_unit=unit,
        reference_pack=pack,
        smallest_unit=smallest,
        ceiling_price=Decimal(ceiling),
        representative_product=products.first(),
    )


def _round(officer, code, name, keys, *, demand_days: int, not_reported=()):
    """A published round whose demand window is open now; hospitals report at once (but those named in
    ``not_reported``, whose workbench then asks for their demand)."""
    now = timezone.now()
    demand_closes = now + timedelta(days=demand_days)
    tender_round = services.round_create(
        actor=officer,
        rule_set=RuleSet.objects.get(code="nvbp-1.8x", version=1),
        code=code,
        name=name,
        demand_opens_at=now - timedelta(days=1),
        demand_closes_at=demand_closes,
        bid_opens_at=demand_closes + timedelta(days=1),
        bid_closes_at=demand_closes + timedelta(days=15),
        opening_at=demand_closes + timedelta(days=15, hours=1),
        cycle_months=24,
    )
    groups = [_group(officer, tender_round, key) for key in keys]
    services.round_transition(actor=officer, tender_round=tender_round, to_status="demand", reason="发布报量")
    _published_when_demand_opened(tender_round)
    tender_round.refresh_from_db()
    for group in groups:
        group.round = tender_round
    _report_demand(groups, not_reported)
    return tender_round, groups


def _report_demand(groups, not_reported=()):
    hospitals = list(
        User.objects.filter(role=Role.HOSPITAL_USER)
        .exclude(username__in=not_reported)
        .select_related("organisation")
        .order_by("username")
    )
    for index, user in enumerate(hospitals):
        for position, group in enumerate(groups):
            if (index + position) % 5 == 4:
                continue  # some hospitals do not use every drug
            services.demand_report(actor=user, group=group, quantity=1000 * (1 + (index * 7 + position * 3) % 40))


def _move_to_bidding(tender_round, *, days_left: float):
    """Demo history: the demand window lies in the past and the bid window is open now."""
    now = timezone.now()
    closes = now + timedelta(days=days_left)
    TenderRound.objects.filter(pk=tender_round.pk).update(
        demand_opens_at=now - timedelta(days=20),
        demand_closes_at=now - timedelta(days=10),
        bid_opens_at=now - timedelta(hours=1),
        bid_closes_at=closes,
        opening_at=closes + timedelta(hours=1),
    )
    tender_round.refresh_from_db()
    _published_when_demand_opened(tender_round)
    return services.advance_round(tender_round)


def _published_when_demand_opened(tender_round) -> None:
    """Demo history told in order: the officer published the round when its demand window opened, not at the
    moment the demo was loaded (which would list 草稿→报量中 after the later, timetable-dated moves)."""
    from .models import RoundStatusChange

    RoundStatusChange.objects.filter(round=tender_round, from_status="draft", to_status="demand").update(
        changed_at=tender_round.demand_opens_at
    )


def _bid(supplier_user, tender_round, groups, prices):
    services.commitment_sign(actor=supplier_user, tender_round=tender_round)
    for group in groups:
        products = services.eligible_products_for(supplier_user.organisation, group)
        for product in products[:1]:
            price = prices[group.code] * product.pack_size
            if services.group_comparable_price(group, product, price) > group.ceiling_price:
                continue  # the platform refuses a bid above the public ceiling: this supplier stays out
            services.bid_submit(
                actor=supplier_user, group=group, product=product, price=price.quantize(Decimal("0.01"))
            )


def _delivery_addresses() -> None:
    """Each demo hospital's pharmacy store in its city's first county; the first hospital also has a township
    clinic 62 km from the county seat (a remote town under the Hunan rules). Left alone when addresses exist."""
    from accounts.models import Region

    from .models import DeliveryAddress
    from .services.addresses import address_create

    if DeliveryAddress.objects.exists():
        return
    officer = User.objects.get(username="officer")
    counties = {}
    for county in Region.objects.filter(level=Region.Level.COUNTY).order_by("code"):
        counties.setdefault(county.parent_id, county)
    for hospital in Organisation.objects.hospitals().order_by("code"):
        county = counties.get(hospital.region_id)
        if county is None:
            continue
        address_create(
            actor=officer,
            organisation=hospital,
            name="药剂科库房",
            street=hospital.address or f"{county.name}人民路 1 号",
            county=county,
            distance_km=3,
            contact="药剂科 收货组",
        )
    first = Organisation.objects.hospitals().order_by("code").first()
    if first is not None and first.region_id in counties:
        address_create(
            actor=officer,
            organisation=first,
            name="沙坪乡卫生院",
            street="沙坪乡沙坪村 8 号",
            county=Region.objects.filter(parent_id=first.region_id, level=Region.Level.COUNTY).order_by("-code")[0],
            distance_km=62,
            contact="药房 刘医生",
        )


def load() -> list[str]:
    _catalog()
    with transaction.atomic():
        _delivery_addresses()
    officer = User.objects.get(username="officer")
    suppliers = list(User.objects.filter(role=Role.SUPPLIER_USER).order_by("username"))
    created = []
    if not TenderRound.objects.filter(code="GY-2026-02").exists():
        with transaction.atomic():
            _round(
                officer,
                "GY-2026-02",
                "湖南省2026年第二批药品集中带量采购",
                ["entecavir", "omeprazole"],
                demand_days=10,
                not_reported={"hospital1"},
            )
        created.append("GY-2026-02")
    if not TenderRound.objects.filter(code="GY-2026-01").exists():
        with transaction.atomic():
            tender_round, groups = _round(
                officer,
                "GY-2026-01",
                "湖南省2026年第一批药品集中带量采购",
                ["atorvastatin", "rosuvastatin", "amlodipine"],
                demand_days=1,
            )
            _move_to_bidding(tender_round, days_left=7)
            services.commitment_sign(actor=suppliers[0], tender_round=tender_round)
        created.append("GY-2026-01")
    if not TenderRound.objects.filter(code="GY-2025-09").exists():
        with transaction.atomic():
            tender_round, groups = _round(
                officer,
                "GY-2025-09",
                "湖南省2025年第九批药品集中带量采购",
                ["atorvastatin", "rosuvastatin", "amlodipine"],
                demand_days=1,
            )
            tender_round = _move_to_bidding(tender_round, days_left=1)
            for group in groups:
                group.round = tender_round
            for user, prices in zip(suppliers, UNIT_PRICES, strict=False):
                _bid(user, tender_round, groups, prices)
            # The bid window of this historical round ends now, and its opening time has come.
            now = timezone.now()
            TenderRound.objects.filter(pk=tender_round.pk).update(
                bid_closes_at=now - timedelta(seconds=2), opening_at=now - timedelta(seconds=1)
            )
            tender_round.refresh_from_db()
            services.round_open(actor=officer, tender_round=tender_round)
        created.append("GY-2025-09")
    if not TenderRound.objects.filter(code="GY-2024-11").exists():
        _round_in_effect(officer, suppliers)
        created.append("GY-2024-11")
    return created


def _round_in_effect(officer, suppliers) -> None:
    """A round awarded two months ago: agreements confirmed, some purchases reported and deliveries received."""
    from .services import award as award_services
    from .services.contracts import contracts_confirm_bulk, contracts_generate
    from .services.deliveries import delivery_confirm, delivery_record
    from .services.purchases import purchase_report, rows_from_records

    with transaction.atomic():
        tender_round, groups = _round(
            officer,
            "GY-2024-11",
            "湖南省2024年第十一批药品集中带量采购",
            ["atorvastatin", "amlodipine"],
            demand_days=1,
        )
        tender_round = _move_to_bidding(tender_round, days_left=1)
        for group in groups:
            group.round = tender_round
        for user, prices in zip(suppliers, UNIT_PRICES, strict=False):
            _bid(user, tender_round, groups, prices)
        now = timezone.now()
        TenderRound.objects.filter(pk=tender_round.pk).update(
            bid_closes_at=now - timedelta(seconds=2), opening_at=now - timedelta(seconds=1)
        )
        tender_round.refresh_from_db()
        tender_round = services.round_open(actor=officer, tender_round=tender_round)
        run = award_services.award_compute(actor=officer, tender_round=tender_round)
    # The group computations run here, whatever the Celery mode (a redelivered group replaces its own rows).
    for group in tender_round.groups.all():
        award_services.award_group_compute(run.pk, group.pk)
    run.refresh_from_db()
    with transaction.atomic():
        award_services.award_publish(actor=officer, run=run)
        today = timezone.localdate()
        TenderRound.objects.filter(pk=tender_round.pk).update(cycle_starts_on=today - timedelta(days=60))
        tender_round.refresh_from_db()
        contracts_generate(actor=officer, tender_round=tender_round)
        contracts_confirm_bulk(actor=officer, contracts=tender_round.contracts.all())
        hospitals = User.objects.filter(role=Role.HOSPITAL_USER).select_related("organisation").order_by("username")
        for index, user in enumerate(hospitals[:8]):
            contracts = list(tender_round.contracts.filter(hospital=user.organisation).select_related("product"))
            records = [
                {"order_number": f"DEMO-{index}-{n}", "ordered_on": (today - timedelta(days=50 - 10 * n)).isoformat(),
                 "product": c.product.national_drug_code, "quantity": str(c.agreed_quantity // (12 + index)),
                 "unit_price": str(c.unit_price)}
                for n in range(4) for c in contracts
            ]  # fmt: skip
            rows, errors = rows_from_records(records)
            purchase_report(
                actor=user, hospital=user.organisation, rows=rows, errors=errors, source="api",
                idempotency_key=f"demo-{index}",
            )  # fmt: skip
            for n, contract in enumerate(contracts[:2]):
                supplier_user = User.objects.filter(organisation=contract.supplier).first()
                ordered = today - timedelta(days=50 - 10 * n)
                delivery = delivery_record(
                    actor=supplier_user, contract=contract, order_number=f"DEMO-{index}-{n}", ordered_on=ordered,
                    shipped_on=ordered + timedelta(days=1 + index % 6),
                    quantity=contract.agreed_quantity // (12 + index),
                )  # fmt: skip
                delivery_confirm(actor=user, delivery=delivery, received_on=delivery.shipped_on + timedelta(days=1))
            if index == 0:
                # A delivery shipped yesterday that the first hospital has still to receive (on its workbench).
                contract = contracts[0]
                delivery_record(
                    actor=User.objects.filter(organisation=contract.supplier).first(), contract=contract,
                    order_number="DEMO-0-open", ordered_on=today - timedelta(days=3),
                    shipped_on=today - timedelta(days=1), quantity=contract.agreed_quantity // 24,
                )  # fmt: skip
        _into_the_past(tender_round, days=75)


def _into_the_past(tender_round, *, days: int) -> None:
    """Demo history told in order: the round was bid, opened and awarded, and its agreements confirmed, ``days``
    ago — before its procurement cycle started — as its open data says (the actions ran a moment ago)."""
    from django.db.models import F, Max

    from credit.models import Commitment

    from .models import AwardRun, Bid, BidVersion, Contract, OpenedBid, RoundStatusChange

    shift = timedelta(days=days)
    Commitment.objects.filter(round=tender_round).update(signed_at=F("signed_at") - shift)
    Bid.objects.filter(round=tender_round).update(last_submitted_at=F("last_submitted_at") - shift)
    BidVersion.objects.filter(bid__round=tender_round).update(submitted_at=F("submitted_at") - shift)
    OpenedBid.objects.filter(round=tender_round).update(submitted_at=F("submitted_at") - shift)
    RoundStatusChange.objects.filter(round=tender_round).update(changed_at=F("changed_at") - shift)
    AwardRun.objects.filter(round=tender_round).update(
        requested_at=F("requested_at") - shift,
        progressed_at=F("progressed_at") - shift,
        finished_at=F("finished_at") - shift,
        published_at=F("published_at") - shift,
    )
    Contract.objects.filter(round=tender_round).update(
        created_at=F("created_at") - shift,
        hospital_confirmed_at=F("hospital_confirmed_at") - shift,
        supplier_confirmed_at=F("supplier_confirmed_at") - shift,
    )
    tender_round.refresh_from_db()
    opened_at = tender_round.opened_at - shift
    # The bid window closed just after the last bid, and the bids were opened at its opening time.
    last_bid = OpenedBid.objects.filter(round=tender_round).aggregate(last=Max("submitted_at"))["last"]
    closes = min(last_bid + timedelta(microseconds=1), opened_at) if last_bid else opened_at
    TenderRound.objects.filter(pk=tender_round.pk).update(
        demand_opens_at=F("demand_opens_at") - shift,
        demand_closes_at=F("demand_closes_at") - shift,
        bid_opens_at=F("bid_opens_at") - shift,
        bid_closes_at=closes,
        opening_at=opened_at,
        opened_at=opened_at,
    )


# Per-unit bid prices of the six demo suppliers in the opened round (turned into pack prices of their products).
UNIT_PRICES = [
    {"G01": Decimal("0.12"), "G02": Decimal("0.21"), "G03": Decimal("0.05")},
    {"G01": Decimal("0.19"), "G02": Decimal("0.35"), "G03": Decimal("0.11")},
    {"G01": Decimal("0.31"), "G02": Decimal("0.52"), "G03": Decimal("0.09")},
    {"G01": Decimal("0.95"), "G02": Decimal("0.30"), "G03": Decimal("0.23")},
    {"G01": Decimal("0.27"), "G02": Decimal("0.81"), "G03": Decimal("0.61")},
    {"G01": Decimal("0.16"), "G02": Decimal("0.44"), "G03": Decimal("0.07")},
]


@transaction.atomic
def load_after() -> int:
    """Distribution relations (after pricing's demo has listed the winners): each winner of the round in effect
    names its city's distributor in that city's counties; distributor1 has one proposal to answer, and the history
    holds a refused and a revoked relation. Left alone when relations exist."""
    from .models import DistributionRelation, TradingRuleSet
    from .services import distribution

    if DistributionRelation.objects.exists() or not TradingRuleSet.objects.exists():
        return 0
    from accounts.models import Region

    today = timezone.localdate()
    distributors = {
        organisation.region_id: organisation for organisation in Organisation.objects.distributors().order_by("code")
    }
    from . import hooks
    from .models import Contract

    contracts = Contract.objects.filter(round__code="GY-2024-11").select_related("product", "supplier")
    prices = hooks.listed_prices({contract.product_id for contract in contracts})
    on_sale = {product_id for (product_id, _region), price in prices.items() if not price.suspended}
    listed = []
    for contract in contracts.order_by("product__national_drug_code"):
        if contract.product_id in on_sale and contract.product not in [product for product, _s in listed]:
            listed.append((contract.product, contract.supplier))
    made = []
    for product, supplier in listed:
        user = User.objects.filter(organisation=supplier, role=Role.SUPPLIER_USER).order_by("username").first()
        for county in Region.objects.filter(level=Region.Level.COUNTY).order_by("code"):
            distributor = distributors.get(county.parent_id)
            if distributor is None:
                continue
            relation = distribution.relation_create(
                actor=user,
                product=product,
                area=county,
                distributor=distributor,
                valid_from=today,
                letter_reference=f"SQ-{today:%Y}-{supplier.code[-4:]}-{county.code}",
            )
            made.append(relation)
    first_distributor = distributors.get(Region.objects.get(code="430100").pk)
    for relation in made:
        distributor_user = User.objects.filter(organisation=relation.distributor).order_by("username").first()
        # distributor1 keeps the proposals of one county to answer on its workbench.
        if relation.distributor == first_distributor and relation.area.code == "430181":
            continue
        distribution.relation_accept(actor=distributor_user, relation=relation)
    # The history: the Zhuzhou distributor refused Yuelu district (outside its area); Yuhu district's relation of
    # the first product was revoked from next month (the distributor gives up the district).
    if made:
        product, supplier = listed[0]
        user = User.objects.filter(organisation=supplier, role=Role.SUPPLIER_USER).order_by("username").first()
        zhuzhou = distributors.get(Region.objects.get(code="430200").pk)
        refused = distribution.relation_create(
            actor=user,
            product=product,
            area=Region.objects.get(code="430104"),
            distributor=zhuzhou,
            valid_from=today,
            letter_reference=f"SQ-{today:%Y}-{supplier.code[-4:]}-B",
        )
        zhuzhou_user = User.objects.filter(organisation=zhuzhou).order_by("username").first()
        distribution.relation_refuse(actor=zhuzhou_user, relation=refused, reason="outside_area", text="")
        revoked = next((r for r in made if r.area.code == "430302" and r.product == product), None)
        if revoked is not None:
            revoked.refresh_from_db()
            xiangtan_user = User.objects.filter(organisation=revoked.distributor).order_by("username").first()
            distribution.relation_revoke(
                actor=xiangtan_user,
                relation=revoked,
                from_day=today + timedelta(days=30),
                reason="该区县配送网点调整，下月起不再配送",
            )
    _orders()
    return len(made)


def _deliveries(buyer, distributor_user, partly, send) -> None:
    """Shipments in every state: the line confirmed in part shipped in two batches (one received, one on its way)
    with a return awaiting the distributor; a line delivered in full with a return approved; a line closed short
    after one batch; a confirmed line still to ship (on distributor1's workbench)."""
    from .services import orders, shipments

    expiry = timezone.localdate() + timedelta(days=700)

    def ship(line, quantity, batch):
        shipment, _replayed, _warnings = shipments.shipment_create(
            actor=distributor_user,
            lines=[shipments.ShipLine(line, quantity, batch, expiry, f"FP{batch}")],
        )
        return shipment.lines.get()

    first = ship(partly, 50, "260301")
    shipments.receipt_record(actor=buyer, line=first, received=50)
    ship(partly, 30, "260402")  # on its way: on hospital1's workbench
    shipments.return_request(actor=buyer, line=first, quantity=5, reason="铝塑板破损")

    whole = orders.line_confirm(actor=distributor_user, line=send(50), quantity=50)
    received = ship(whole, 50, "260315")
    shipments.receipt_record(actor=buyer, line=received, received=50)
    request, _replayed = shipments.return_request(actor=buyer, line=received, quantity=2, reason="外包装污损")
    shipments.return_approve(actor=distributor_user, request=request)

    short = orders.line_confirm(actor=distributor_user, line=send(30), quantity=30)
    shipments.receipt_record(actor=buyer, line=ship(short, 10, "260320"), received=10)
    shipments.line_short_close(actor=distributor_user, line=short, reason="厂家停产，余量无法供应")

    orders.line_confirm(actor=distributor_user, line=send(24), quantity=24)  # to ship


def _orders() -> None:
    """hospital1's orders to distributor1 in every state so far: one awaiting its answer (on distributor1's
    workbench), one confirmed in part, one refused, one cancelled for want of an answer (a supply event), a draft."""
    from .models import OrderLine, PurchaseOrder
    from .services import orders

    if PurchaseOrder.objects.exists():
        return
    buyer = User.objects.get(username="hospital1")
    address = buyer.organisation.delivery_addresses.filter(distance_km__lte=50).order_by("pk").first()
    if address is None:
        return
    offers = orders.offered_distributors(address)
    pairs = [
        (product_id, distributor)
        for product_id, distributors in sorted(offers.items())
        for distributor in distributors
    ]
    if not pairs:
        return
    product_id, distributor = pairs[0]
    product = Product.objects.get(pk=product_id)
    distributor_user = User.objects.filter(organisation=distributor).order_by("username").first()

    def send(quantity):
        order = orders.order_create(actor=buyer, address=address)
        orders.line_add(actor=buyer, order=order, product=product, distributor=distributor, quantity=quantity)
        return orders.order_send(actor=buyer, order=order)[0].lines.get()

    late = send(40)
    # Sent three days ago and never answered: the scheduler cancelled it at its deadline.
    OrderLine.objects.filter(pk=late.pk).update(response_due=timezone.now() - timedelta(days=1))
    PurchaseOrder.objects.filter(pk=late.order_id).update(sent_at=timezone.now() - timedelta(days=3))
    orders.lines_expire()
    partly = orders.line_confirm(actor=distributor_user, line=send(100), quantity=80, reason="out_of_stock")
    orders.line_refuse(actor=distributor_user, line=send(20), reason="outside_area")
    _deliveries(buyer, distributor_user, partly, send)
    send(60)  # awaiting distributor1's answer
    draft = orders.order_create(actor=buyer, address=address)
    orders.line_add(actor=buyer, order=draft, product=product, distributor=distributor, quantity=30)
