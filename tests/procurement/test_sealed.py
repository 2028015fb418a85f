"""Nothing leaks before opening (TRUST 1 and 2): canary prices on every read path, as every role, and in a dump."""

import logging

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import reverse

from accounts.models import AuditEntry, Role
from credit.models import Commitment
from procurement import participation, services
from procurement.models import Bid, BidVersion, Participation
from procurement.services import commitment_sign
from tests.procurement.conftest import own

pytestmark = pytest.mark.django_db

CANARY_PRICES = ["987.6543", "876.5432"]
CANARY_CAPACITY = "7777777"
# The prices, as they would print rounded to the fen, their comparable prices, and the capacity.
CANARIES = [*CANARY_PRICES, "987.65", "876.54", "70.5467", "73.6591", CANARY_CAPACITY]


@pytest.fixture
def sealed_round(users, supplier_user, other_supplier_user, group, product, other_product, bidding_round):
    type(group).objects.filter(pk=group.pk).update(ceiling_price=100)
    group.refresh_from_db()
    commitment_sign(actor=supplier_user, tender_round=bidding_round)
    commitment_sign(actor=other_supplier_user, tender_round=bidding_round)
    services.bid_submit(
        actor=supplier_user, group=group, product=product, price=CANARY_PRICES[0], capacity=int(CANARY_CAPACITY)
    )
    services.bid_submit(actor=other_supplier_user, group=group, product=other_product, price=CANARY_PRICES[1])
    users[Role.SUPPLIER_USER + "_other"] = other_supplier_user
    return bidding_round


def _get_urls(tender_round, group, product):
    pk, gpk = tender_round.pk, group.pk
    pages = [
        reverse("accounts:home"),
        reverse("accounts:audit_list"),
        reverse("procurement:round_list"),
        reverse("procurement:round_detail", args=[pk]),
        reverse("procurement:round_demand_summary", args=[pk]),
        reverse("procurement:round_demand", args=[pk]),
        reverse("procurement:round_demand_template", args=[pk]),
        reverse("procurement:round_commitment", args=[pk]),
        reverse("procurement:round_bids", args=[pk]),
        reverse("procurement:round_opening", args=[pk]),
        reverse("procurement:round_opening_export", args=[pk]),
        reverse("procurement:product_list"),
        reverse("procurement:product_export"),
    ]
    api = [
        "/api/v1/rounds/",
        f"/api/v1/rounds/{pk}/",
        f"/api/v1/rounds/{pk}/opening-table/",
        f"/api/v1/rounds/{pk}/demand-summary/",
        "/api/v1/groups/",
        f"/api/v1/groups/{gpk}/",
        "/api/v1/bids/",
        "/api/v1/commitments/",
        "/api/v1/demand/",
        "/api/schema/",
    ]
    admin_pages = ["/admin/"]
    for model in admin.site._registry:
        admin_pages.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    return pages + api + admin_pages


def test_no_price_on_any_read_path_before_opening(client, users, sealed_round, group, product, caplog):
    caplog.set_level(logging.DEBUG)
    urls = _get_urls(sealed_round, group, product)
    checked = 0
    for user in users.values():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            body = response.content.decode("utf-8", errors="replace") if response.status_code < 500 else ""
            assert response.status_code < 500, (url, response.status_code)
            for canary in CANARIES:
                assert canary not in body, f"{canary} leaked at {url} to {user.role}"
            checked += 1
    assert checked == len(users) * len(urls)
    for canary in CANARIES:
        assert canary not in caplog.text


def test_bidder_names_are_hidden_from_everyone_else_before_opening(
    client, users, sealed_round, group, product, other_supplier_org, other_supplier_user
):
    """Not only prices: who bid (and so how many bid) is secret until the opening time, audit log included."""
    pk = sealed_round.pk
    urls = [
        reverse("accounts:home"),
        reverse("accounts:audit_list"),
        reverse("procurement:round_detail", args=[pk]),
        reverse("procurement:round_demand_summary", args=[pk]),
        reverse("procurement:round_opening", args=[pk]),
        reverse("procurement:round_opening_export", args=[pk]),
        f"/api/v1/rounds/{pk}/",
        "/api/v1/bids/",
        "/api/v1/commitments/",
        f"/api/v1/rounds/{pk}/opening-table/",
        "/admin/accounts/auditentry/",
        "/admin/procurement/bid/",
        "/admin/credit/commitment/",
    ]
    for role, user in users.items():
        if user == other_supplier_user:
            continue
        client.force_login(user)
        for url in urls:
            body = client.get(url).content.decode("utf-8", errors="replace")
            assert other_supplier_org.name not in body, f"bidder named at {url} to {role}"
            assert other_supplier_user.username not in body, f"bidder's user named at {url} to {role}"


def test_audit_rows_of_bids_appear_at_the_opening(client, officer, sealed_round, other_supplier_org):
    from accounts.tasks import seal_audit_chain
    from tests.procurement.conftest import move_to_opening

    client.force_login(officer)
    assert other_supplier_org.name not in client.get(reverse("accounts:audit_list")).content.decode()
    move_to_opening(sealed_round)
    seal_audit_chain()
    assert other_supplier_org.name not in client.get(reverse("accounts:audit_list")).content.decode()
    # The opening writes the sealed participation out, audit rows included, at the times they happened.
    services.round_open(actor=officer, tender_round=sealed_round)
    body = client.get(reverse("accounts:audit_list")).content.decode()
    assert other_supplier_org.name in body
    sign, submit = (
        AuditEntry.objects.get(action=action, organisation=other_supplier_org)
        for action in ("commitment.sign", "bid.submit")
    )
    assert sign.created_at < submit.created_at < AuditEntry.objects.get(action="round.open").created_at


def test_database_dump_holds_no_price(sealed_round):
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                dump.append(
                    " ".join(
                        bytes(value).hex() + repr(bytes(value))
                        if isinstance(value, (bytes, memoryview))
                        else str(value)
                        for value in row
                    )
                )
    text = "\n".join(dump)
    assert len(dump) > 20
    for canary in CANARIES:
        assert canary not in text
    # Every possible bidder's part is one row of the same size, whatever it did.
    assert not Bid.objects.exists() and not BidVersion.objects.exists() and not Commitment.objects.exists()
    assert len({len(bytes(state)) for state in Participation.objects.values_list("state", flat=True)}) == 1


def test_a_supplier_sees_its_receipt_but_not_its_price(client, supplier_user, sealed_round):
    client.force_login(supplier_user)
    body = client.get(reverse("procurement:round_bids", args=[sealed_round.pk])).content.decode()
    (version,) = own(sealed_round, supplier_user).all_versions()
    receipt = version.receipt_hash
    assert receipt in body
    assert CANARY_PRICES[0] not in body


def test_prices_are_published_after_opening(client, officer, hospital_user, sealed_round):
    from tests.procurement.conftest import move_to_opening

    services.round_open(actor=officer, tender_round=move_to_opening(sealed_round))
    client.force_login(hospital_user)
    body = client.get(reverse("procurement:round_opening", args=[sealed_round.pk])).content.decode()
    assert CANARY_PRICES[0] in body and CANARY_PRICES[1] in body


def _unkeyed_fingerprints(fields: dict) -> set[str]:
    """Every unkeyed hash an attacker would try of the JSON forms the code builds of a bid's content."""
    import hashlib
    import json

    encodings = {
        json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        json.dumps(fields, sort_keys=True, separators=(",", ":")),
        json.dumps(fields, sort_keys=True),
        json.dumps(fields),
        json.dumps(fields, ensure_ascii=False),
    }
    return {
        getattr(hashlib, name)(encoding.encode()).hexdigest()
        for encoding in encodings
        for name in ("sha256", "sha1", "md5")
    }


def test_no_stored_value_is_an_unkeyed_hash_of_sealed_content(sealed_round, group, product):
    """Issue 15, item 2: the request fingerprint was SHA-256 of the canonical content; enumerating prices
    recovered every sealed demo bid from a read-only copy of the database."""
    price = CANARY_PRICES[0]
    candidates = set()
    for capacity in (int(CANARY_CAPACITY), None):
        for group_value in (group.pk, group.code):
            base = {"product": product.national_drug_code, "price": price, "capacity": capacity, "regions": []}
            candidates |= _unkeyed_fingerprints({"action": "submit", "group": group_value, **base})
            candidates |= _unkeyed_fingerprints({"group": group_value, **base})
            candidates |= _unkeyed_fingerprints(base)
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                dump.extend(str(value) for value in row if not isinstance(value, (bytes, memoryview)))
    text = "\n".join(dump)
    (stored,) = [version["request"] for version in participation.read(sealed_round, product.holder_id)["versions"]]
    # The (keyed) fingerprint itself is inside the sealed part: not even it is in the database's text.
    assert len(stored) == 64 and stored not in text and stored not in candidates
    assert not [candidate for candidate in candidates if candidate in text]
