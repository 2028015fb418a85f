"""The authorisation matrix: every page and API route × every role × an object of the caller's own organisation and
one of another's, against the expected outcome in tests/authorisation_matrix.py.

- A route the platform serves without a row in the matrix fails the test (and so does a row for a route that is
  gone): a new route cannot ship without someone deciding who may call it.
- Refused calls change nothing: the row counts of every table (the audit trail's included) are the same after.
- Calls that are allowed run inside a savepoint that is rolled back, so the matrix does not depend on its own order.

``AUTHZ_WRITE=path pytest tests/test_authorisation_matrix.py`` writes what the platform answers now in the matrix's
format, to review against the expectations after a change.
"""

import os
from collections import defaultdict
from copy import copy
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from .authorisation_matrix import ADMIN_EXPECTED, MATRIX, ROLES

pytestmark = pytest.mark.django_db

API_DETAIL_METHODS = ("GET", "POST", "PATCH", "DELETE")
PAGE_METHODS = ("GET", "POST")


# Routes that end the caller's session (its cookie changes even though the database change is rolled back).
RELOGIN_AFTER = {"accounts:logout", "accounts:login", "set_language"}


class Rollback(Exception):
    pass


def routes():
    """(name, pattern) of every named route except the admin's and the format-suffix duplicates of the API's."""

    def walk(resolver, prefix="", namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                yield namespace + (pattern.name or ""), prefix + str(pattern.pattern)

    found = {}
    for name, pattern in walk(get_resolver()):
        if name.startswith("admin:") or "(?P<format>" in pattern or "<drf_format_suffix" in pattern:
            continue
        assert name, f"every route needs a name to have a row in the matrix: {pattern}"
        found.setdefault(name, pattern)
    return found


def fingerprint() -> int:
    """The total row count of every table: a refused call must leave it as it was."""
    tables = [table for table in connection.introspection.table_names() if not table.startswith("sqlite_")]
    tables = [table for table in tables if table not in {"django_session", "axes_accesslog", "axes_accessattempt"}]
    query = " + ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {query}")
        return cursor.fetchone()[0]


def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302) and "/login/" in response.get("Location", ""):
        return "login"
    if status >= 500:
        return f"ERROR{status}"
    if status in (401, 403, 404, 405):
        return str(status)
    if status in (400, 409, 422):
        # Let in, and refused by validation (the matrix posts empty forms): never the answer to a refused caller.
        return "invalid"
    return "ok"


def _clone(instance, **changes):
    """A copy of a demo row belonging to another organisation (same content otherwise)."""
    twin = copy(instance)
    twin.pk = twin.id = None
    twin._state.adding = True
    for name, value in changes.items():
        setattr(twin, name, value)
    twin.save()
    return twin


@pytest.fixture
def world(django_db_blocker):
    """The demo platform, plus for each kind of object one of supplier1/hospital1 ("mine") and one of neither."""
    from accounts.models import AuditEntry, Organisation, Region, User
    from credit import services as credit_services
    from credit.models import Commitment, CreditRecord, Measure, RatingRun, RatingSnapshot, RepairApplication, Tip
    from pricing.models import Listing, ListingChange, PriceWarning
    from procurement.models import (
        AwardRun,
        Contract,
        Delivery,
        DeliveryAddress,
        DemandReport,
        DistributionRelation,
        OrderLine,
        Product,
        ProductImport,
        PurchaseUpload,
        ShipmentLine,
        TenderRound,
        TradingRuleSet,
    )

    call_command("load_demo", verbosity=0)
    users = {role: User.objects.get(username=name) for role, name in ROLES.items() if name}
    supplier, hospital = users["supplier"].organisation, users["hospital"].organisation
    other_supplier = Organisation.objects.suppliers().exclude(pk=supplier.pk).order_by("pk").first()
    other_hospital = Organisation.objects.hospitals().exclude(pk=hospital.pk).order_by("pk").first()
    rounds = {tender_round.code: tender_round for tender_round in TenderRound.objects.all()}
    bidding, opened, in_effect = rounds["GY-2026-01"], rounds["GY-2025-09"], rounds["GY-2024-11"]
    run = AwardRun.objects.filter(round=in_effect).first()
    contract = Contract.objects.filter(supplier=supplier, hospital=hospital).first()
    their_contract = Contract.objects.exclude(supplier=supplier).exclude(hospital=hospital).first()
    delivery = Delivery.objects.filter(contract__supplier=supplier, contract__hospital=hospital).first()
    if delivery is None:
        delivery = _clone(Delivery.objects.first(), contract=contract)
    their_delivery = Delivery.objects.filter(contract=their_contract).first() or _clone(
        Delivery.objects.first(), contract=their_contract
    )
    upload = PurchaseUpload.objects.filter(hospital=hospital).first()
    their_upload = PurchaseUpload.objects.exclude(hospital=hospital).first()
    officer = users["credit"]
    records = {}
    for side, organisation in (("mine", supplier), ("theirs", other_supplier)):
        record = credit_services.record_create(
            actor=officer,
            supplier=organisation,
            item="kickback",
            occurred_on=timezone.localdate() - timedelta(days=100),
            source=CreditRecord.Source.ADMINISTRATIVE_PENALTY,
            document_number=f"matrix-{side}",
            amount="150000",
            facts={},
            products=(),
        )
        records[side] = record
    repair_base = RepairApplication.objects.first()
    repairs = {}
    for side, record in records.items():
        repairs[side] = (
            _clone(repair_base, record=record, supplier=record.supplier)
            if repair_base
            else RepairApplication.objects.create(
                record=record, supplier=record.supplier, steps=[], statement="x", submitted_by=users["supplier"]
            )
        )
    measure_base = Measure.objects.first()
    measures = {
        "mine": _clone(measure_base, supplier=supplier, acknowledged_at=None, acknowledged_by=None),
        "theirs": _clone(measure_base, supplier=other_supplier, acknowledged_at=None, acknowledged_by=None),
    }
    snapshot_base = RatingSnapshot.objects.first()
    ratings = {
        "mine": RatingSnapshot.objects.filter(supplier=supplier).first() or _clone(snapshot_base, supplier=supplier),
        "theirs": RatingSnapshot.objects.filter(supplier=other_supplier).first()
        or _clone(snapshot_base, supplier=other_supplier),
    }
    listing = Listing.objects.filter(supplier=supplier).first()
    their_listing = Listing.objects.exclude(supplier=supplier).first()
    change = ListingChange.objects.filter(listing=listing).first() or _clone(
        ListingChange.objects.first(), listing=listing
    )
    their_change = ListingChange.objects.filter(listing=their_listing).first() or _clone(
        ListingChange.objects.first(), listing=their_listing
    )
    warning = PriceWarning.objects.filter(supplier=supplier).first() or _clone(
        PriceWarning.objects.first(), supplier=supplier
    )
    their_warning = PriceWarning.objects.exclude(supplier=supplier).first() or _clone(
        PriceWarning.objects.first(), supplier=other_supplier
    )
    demand = DemandReport.objects.filter(hospital=hospital, group__round=opened).first()
    their_demand = DemandReport.objects.filter(group__round=opened).exclude(hospital=hospital).first()
    product = Product.objects.filter(holder=supplier).first()
    their_product = Product.objects.exclude(holder=supplier).first()
    product_import = ProductImport.objects.create(
        filename="matrix.xlsx", uploaded_by=users["officer"], content=b"", content_sha256="0" * 64
    )
    relations = {}
    for side, (manufacturer, distributor) in (
        ("mine", (supplier, users["distributor"].organisation)),
        (
            "theirs",
            (
                other_supplier,
                Organisation.objects.distributors().exclude(pk=users["distributor"].organisation_id).first(),
            ),
        ),
    ):
        relations[side] = DistributionRelation.objects.create(
            manufacturer=manufacturer,
            product=Product.objects.filter(holder=manufacturer).first(),
            area=Region.objects.filter(level="county").first(),
            distributor=distributor,
            valid_from=timezone.localdate(),
            valid_to=timezone.localdate() + timedelta(days=365),
            rule_set=TradingRuleSet.objects.get(is_default=True),
            letter_reference=f"matrix-{side}",
            status="proposed",
            created_by=users["supplier"],
        )
    addresses = (
        DeliveryAddress.objects.filter(organisation=hospital).first(),
        DeliveryAddress.objects.filter(organisation=other_hospital).first(),
    )
    my_line = (
        OrderLine.objects.filter(order__buyer=hospital, distributor=users["distributor"].organisation, status="sent")
        .select_related("order")
        .first()
    )
    other_distributor = Organisation.objects.distributors().exclude(pk=users["distributor"].organisation_id).first()
    their_order = _clone(
        my_line.order,
        number="PO20260101MATRIX01",
        buyer=other_hospital,
        address=addresses[1],
        distributor=other_distributor,
    )
    their_line = _clone(my_line, order=their_order, distributor=other_distributor, beneficiary=other_hospital)
    my_shipment_line = ShipmentLine.objects.filter(
        shipment__buyer=hospital,
        shipment__distributor=users["distributor"].organisation,
        returns__status="requested",
    ).first()
    my_return = my_shipment_line.returns.get(status="requested")
    their_shipment = _clone(
        my_shipment_line.shipment,
        number="SH20260101MATRIX01",
        buyer=other_hospital,
        distributor=other_distributor,
        address=addresses[1],
    )
    their_shipment_line = _clone(my_shipment_line, shipment=their_shipment, order_line=their_line)
    their_return = _clone(my_return, shipment_line=their_shipment_line)
    objects = {
        "shipment": (my_shipment_line.shipment, their_shipment),
        "shipment_line": (my_shipment_line, their_shipment_line),
        "return": (my_return, their_return),
        "order": (my_line.order, their_order),
        "order_line": (my_line, their_line),
        "address": addresses,
        "relation": (relations["mine"], relations["theirs"]),
        "round": (bidding, bidding),
        "opened_round": (opened, opened),
        "effect_round": (in_effect, in_effect),
        "group": (bidding.groups.first(), bidding.groups.first()),
        "run": (run, run),
        "contract": (contract, their_contract),
        "delivery": (delivery, their_delivery),
        "upload": (upload, their_upload),
        "record": (records["mine"], records["theirs"]),
        "repair": (repairs["mine"], repairs["theirs"]),
        "measure": (measures["mine"], measures["theirs"]),
        "rating": (ratings["mine"], ratings["theirs"]),
        "tip": (Tip.objects.first(), Tip.objects.first()),
        "rating_run": (RatingRun.objects.first(), RatingRun.objects.first()),
        "listing": (listing, their_listing),
        "change": (change, their_change),
        "warning": (warning, their_warning),
        "demand": (demand, their_demand),
        "product": (product, their_product),
        "product_import": (product_import, product_import),
        "audit": (AuditEntry.objects.order_by("id").first(),) * 2,
        "city": (Region.objects.filter(level="city").first(),) * 2,
        "supplier": (supplier, other_supplier),
        "hospital": (hospital, other_hospital),
        "user": (users["supplier"], User.objects.filter(organisation=other_supplier).first()),
        "commitment": (
            Commitment.objects.filter(supplier=supplier).first(),
            Commitment.objects.exclude(supplier=supplier).first(),
        ),
        "catalog_version": (None, None),
        "_users": users,
    }
    for kind, pair in objects.items():
        assert kind in {"catalog_version", "_users"} or all(item is not None for item in pair), f"needs a {kind}"
    return {"users": users, "objects": objects}


def _kwargs(spec, world, side: int, role: str) -> dict:
    if spec is None:
        return {}
    return spec(world["objects"], side, role)


def _call(client, method, url):
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, {}, content_type="application/json") if "/api/" in url else client.post(url, {})
    if method == "PATCH":
        return client.patch(url, {}, content_type="application/json")
    return client.delete(url)


def test_every_route_has_a_row_in_the_matrix():
    served = set(routes())
    assert not served - set(MATRIX), (
        f"routes without a row in tests/authorisation_matrix.py: {sorted(served - set(MATRIX))}"
    )
    assert not set(MATRIX) - served, f"rows for routes that no longer exist: {sorted(set(MATRIX) - served)}"


def test_every_route_answers_each_role_as_the_matrix_says(world, settings):
    settings.SECOND_FACTOR_REQUIRED = False
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if role != "anon":
            client.force_login(world["users"][role])
        clients[role] = client
    failures, observed = [], defaultdict(dict)
    for name in sorted(routes()):
        row = MATRIX.get(name)
        if row is None:
            continue
        methods = row.methods
        for method in methods:
            expected_sides = row.expected(method)
            sides = []
            for side, expected in enumerate(expected_sides):
                answers = []
                for index, role in enumerate(ROLES):
                    url = reverse(name, kwargs=_kwargs(row.kwargs, world, side, role))
                    before = fingerprint()
                    try:
                        with transaction.atomic():
                            answer = outcome(_call(clients[role], method, url))
                            changed = fingerprint() != before
                            raise Rollback
                    except Rollback:
                        pass
                    answers.append(answer)
                    if role != "anon" and name in RELOGIN_AFTER:
                        clients[role].force_login(world["users"][role])
                    want = expected[index]
                    if answer != want:
                        failures.append(f"{method} {url} as {role}: {answer}, expected {want}")
                    elif answer not in ("ok",) and changed:
                        failures.append(f"{method} {url} as {role} was refused ({answer}) but changed the database")
                sides.append(" ".join(answers))
            observed[name][method] = tuple(sides)
    if os.environ.get("AUTHZ_WRITE"):
        _write_observed(os.environ["AUTHZ_WRITE"], observed)
    assert not failures, "\n".join(failures)


def test_admin_answers_only_the_administrator(world):
    from django.contrib import admin

    failures = []
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        for view in ("changelist", "add"):
            url = reverse(f"admin:{info[0]}_{info[1]}_{view}")
            for role, expected in ADMIN_EXPECTED(view, model_admin).items():
                client = Client()
                if role != "anon":
                    client.force_login(world["users"][role])
                answer = client.get(url)
                got = (
                    "login"
                    if answer.status_code == 302 and "/login/" in answer["Location"]
                    else str(answer.status_code)
                )
                got = "ok" if got == "200" else got
                if got != expected:
                    failures.append(f"GET {url} as {role}: {got}, expected {expected}")
    assert not failures, "\n".join(failures)


def _write_observed(path, observed):
    lines = []
    for name in sorted(observed):
        methods = observed[name]
        lines.append(f"    {name!r}: {dict(methods)!r},")
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
