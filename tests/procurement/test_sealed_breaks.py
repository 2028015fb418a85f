"""The breaks of bid secrecy and robustness found when the platform was attacked (issue 15, items 1, 3 and 7), each
reproduced as the attacker did it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from credit.services import commitment_sign
from procurement import services
from procurement.exceptions import ProcurementError
from procurement.models import Bid, BidVersion, OpenedBid
from procurement.services import bidding
from tests.procurement.conftest import move_to_opening

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(supplier_user, other_supplier_user, bidding_round):
    commitment_sign(actor=supplier_user, tender_round=bidding_round)
    commitment_sign(actor=other_supplier_user, tender_round=bidding_round)
    return bidding_round


def test_award_preview_names_no_bidder_before_opening(
    client, officer, signed, supplier_user, other_supplier_user, group, product, other_product
):
    services.bid_submit(actor=supplier_user, group=group, product=product, price="7")
    services.bid_submit(actor=other_supplier_user, group=group, product=other_product, price="6")
    services.bid_withdraw(actor=other_supplier_user, group=group)
    client.force_login(officer)
    response = client.get(reverse("procurement:round_award_preview", args=[signed.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for organisation in (supplier_user.organisation, other_supplier_user.organisation):
        assert organisation.code not in body and organisation.name not in body
    assert response.context["suppliers"] == {}


def test_award_preview_names_the_opened_bidders_after_opening(client, officer, signed, supplier_user, group, product):
    services.bid_submit(actor=supplier_user, group=group, product=product, price="7")
    services.round_open(actor=officer, tender_round=move_to_opening(signed))
    client.force_login(officer)
    response = client.get(reverse("procurement:round_award_preview", args=[signed.pk]))
    assert response.context["suppliers"] == {supplier_user.organisation.code: supplier_user.organisation.name}


@pytest.mark.parametrize("capacity", [10**30, 2**64, bidding.MAX_CAPACITY + 1])
def test_capacity_beyond_the_maximum_is_refused_on_every_path(
    client, api_for, signed, supplier_user, group, product, capacity
):
    with pytest.raises(ProcurementError) as error:
        services.bid_submit(actor=supplier_user, group=group, product=product, price="7", capacity=capacity)
    assert error.value.code == "capacity" and "1,000,000,000,000" in error.value.message

    response = api_for(supplier_user).post(
        "/api/v1/bids/",
        {"group": group.pk, "product": product.national_drug_code, "price": "7", "capacity": capacity},
        format="json",
    )
    assert response.status_code == 400 and "capacity" in response.json()

    client.force_login(supplier_user)
    prefix = f"g{group.pk}"
    response = client.post(
        reverse("procurement:round_bids", args=[signed.pk]),
        {"group": group.pk, f"{prefix}-product": product.pk, f"{prefix}-price": "7", f"{prefix}-capacity": capacity},
    )
    assert response.status_code == 200
    assert response.context["states"][0][1].errors["capacity"]
    assert not BidVersion.objects.exists() and not Bid.objects.exists()


def test_a_bid_whose_content_cannot_be_stored_opens_as_invalid_and_the_rest_open(
    monkeypatch, officer, signed, supplier_user, other_supplier_user, group, product, other_product
):
    # A bid sealed before submission bounded the capacity: 2^64 overflows the opening table's column.
    monkeypatch.setattr(bidding, "MAX_CAPACITY", 2**80)
    services.bid_submit(actor=supplier_user, group=group, product=product, price="7", capacity=2**64)
    monkeypatch.undo()
    services.bid_submit(actor=other_supplier_user, group=group, product=other_product, price="6")

    services.round_open(actor=officer, tender_round=move_to_opening(signed))

    rows = {row.supplier_id: row for row in OpenedBid.objects.all()}
    broken, fine = rows[supplier_user.organisation_id], rows[other_supplier_user.organisation_id]
    assert (broken.valid, broken.invalid_reason, broken.capacity, broken.pack_price) == (
        False,
        "unreadable",
        None,
        None,
    )
    assert broken.hash_verified and str(broken.get_invalid_reason_display())
    assert fine.valid and fine.pack_price == Decimal("6.0000")
    assert AuditEntry.objects.get(action="round.open").after["outcomes"] == {"unreadable": 1, "valid": 1}


def test_a_bid_above_the_public_ceiling_is_refused_with_both_prices(client, signed, supplier_user, group, product):
    # 11.5 yuan a pack of 14 × 20 mg against a representative 7 × 20 mg: 0.8214 per unit above a 0.8 ceiling.
    type(group).objects.filter(pk=group.pk).update(ceiling_price=Decimal("0.8"))
    group.refresh_from_db()
    with pytest.raises(ProcurementError) as error:
        services.bid_submit(actor=supplier_user, group=group, product=product, price="11.5")
    assert error.value.code == "above_ceiling"
    assert "0.8214" in error.value.message and "0.8000" in error.value.message

    client.force_login(supplier_user)
    prefix = f"g{group.pk}"
    response = client.post(
        reverse("procurement:round_bids", args=[signed.pk]),
        {"group": group.pk, f"{prefix}-product": product.pk, f"{prefix}-price": "11.5"},
    )
    assert "0.8214" in response.content.decode()
    assert not BidVersion.objects.exists()
    # At the ceiling exactly is allowed.
    services.bid_submit(actor=supplier_user, group=group, product=product, price="11.2")
    assert BidVersion.objects.count() == 1


def test_the_comparable_preview_takes_the_price_by_post_only(client, signed, supplier_user, group, product):
    client.force_login(supplier_user)
    url = reverse("procurement:round_bid_preview", args=[signed.pk, group.pk])
    prefix = f"g{group.pk}-"
    assert client.get(url, {prefix + "product": product.pk, prefix + "price": "14"}).status_code == 405
    for product_value, price in (("abc", "14"), (str(product.pk), "1e400"), ("9" * 30, "14")):
        response = client.post(url, {prefix + "product": product_value, prefix + "price": price})
        assert response.status_code in (200, 400), (product_value, price)
    response = client.post(url, {prefix + "product": "abc", prefix + "price": "14"})
    assert response.status_code == 400 and "Product" in response.content.decode()
    response = client.post(url, {prefix + "product": product.pk, prefix + "price": "1e400"})
    assert response.status_code == 200 and "below" in response.content.decode()


def _visible_figures(api):
    from accounts.models import AuditEntry

    verification = api.post("/api/v1/audit-entries/verify/").json()
    return (
        verification["sealed"],
        verification["pending"],
        verification["head_seq"],
        AuditEntry.objects.order_by("-id").values_list("id", flat=True).first(),
        AuditEntry.objects.visible_now().count(),
    )


def test_no_visible_figure_moves_with_other_suppliers_bids(
    api_for, officer, signed, supplier_user, other_supplier_user, group, product, other_product
):
    """Issue 15, item 5: verification counts, audit ids and chain positions moved with each hidden bid."""
    api = api_for(officer)
    before = _visible_figures(api)
    services.bid_submit(actor=other_supplier_user, group=group, product=other_product, price="6")
    services.bid_submit(actor=other_supplier_user, group=group, product=other_product, price="5")
    services.bid_withdraw(actor=other_supplier_user, group=group)
    after = _visible_figures(api)
    # The verification itself adds a checkpoint (not an audit row): the figures are the same.
    assert after == before
    verification = api.post("/api/v1/audit-entries/verify/").json()
    assert verification["intact"] is True, verification

    # A supplier's receipt and commitment carry random identifiers, not sequence numbers.
    own = api_for(supplier_user)
    receipt = own.post(
        "/api/v1/bids/", {"group": group.pk, "product": product.national_drug_code, "price": "7"}, format="json"
    ).json()
    assert len(receipt["id"]) == 36 and receipt["id"] == str(BidVersion.objects.get(supplier=product.holder).public_id)
    (commitment,) = own.get("/api/v1/commitments/").json()["results"]
    assert len(str(commitment["id"])) == 36
    assert own.get(f"/api/v1/commitments/{commitment['id']}/").status_code == 200


def test_held_rows_join_the_chain_at_the_opening_and_tampering_is_caught(
    api_for, officer, signed, supplier_user, group, product
):
    from accounts import audit_chain
    from accounts.models import HeldAuditEntry

    services.bid_submit(actor=supplier_user, group=group, product=product, price="7")
    held = HeldAuditEntry.objects.get(action="bid.submit")
    HeldAuditEntry.objects.filter(pk=held.pk).update(after={**held.after, "version": 9})
    result = audit_chain.verify()
    assert not result.intact and result.first_problem.entry_id is None
    assert "held until a round's opening" in result.first_problem.message
    HeldAuditEntry.objects.filter(pk=held.pk).update(after=held.after)
    assert audit_chain.verify().intact

    services.round_open(actor=officer, tender_round=move_to_opening(signed))
    assert not HeldAuditEntry.objects.exists()
    rows = AuditEntry.objects.filter(action__in=["commitment.sign", "bid.submit"]).order_by("seq")
    assert [row.action for row in rows] == ["commitment.sign", "commitment.sign", "bid.submit"]
    assert all(row.seq for row in rows) and audit_chain.verify().intact
