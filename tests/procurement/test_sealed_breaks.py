"""The breaks of bid secrecy and robustness found when the platform was attacked (issue 15, items 1, 3 and 7), each
reproduced as the attacker did it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from procurement import services
from procurement.exceptions import ProcurementError
from procurement.models import Bid, BidVersion, OpenedBid, Participation
from procurement.services import bidding, commitment_sign
from tests.procurement.conftest import move_to_opening, own

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
    assert not own(signed, supplier_user).versions


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
    assert not own(signed, supplier_user).versions
    # At the ceiling exactly is allowed.
    services.bid_submit(actor=supplier_user, group=group, product=product, price="11.2")
    assert len(own(signed, supplier_user).all_versions()) == 1


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
    mine = api_for(supplier_user)
    receipt = mine.post(
        "/api/v1/bids/", {"group": group.pk, "product": product.national_drug_code, "price": "7"}, format="json"
    ).json()
    (version,) = own(signed, supplier_user).all_versions()
    assert len(receipt["id"]) == 36 and receipt["id"] == str(version.public_id)
    (commitment,) = mine.get("/api/v1/commitments/").json()["results"]
    assert len(str(commitment["id"])) == 36
    assert mine.get(f"/api/v1/commitments/{commitment['id']}/").status_code == 200
    assert [row["id"] for row in mine.get("/api/v1/bids/").json()["results"]] == [receipt["id"]]
    assert api_for(other_supplier_user).get(f"/api/v1/commitments/{commitment['id']}/").status_code == 404


def test_audit_rows_of_the_sealed_part_join_the_chain_at_the_opening(
    api_for, officer, signed, supplier_user, group, product
):
    from accounts import audit_chain

    services.bid_submit(actor=supplier_user, group=group, product=product, price="7")
    assert not AuditEntry.objects.filter(action__in=["commitment.sign", "bid.submit"]).exists()
    services.round_open(actor=officer, tender_round=move_to_opening(signed))
    audit_chain.seal()
    rows = AuditEntry.objects.filter(action__in=["commitment.sign", "bid.submit"]).order_by("seq")
    assert [row.action for row in rows] == ["commitment.sign", "commitment.sign", "bid.submit"]
    assert all(row.seq for row in rows) and audit_chain.verify().intact
    assert not Participation.objects.exists()


def _database_shape() -> dict[str, list]:
    """What a reader of the whole database sees, less the values themselves: per table, the number of rows and
    the length of every value (sorted, so that a row's place does not count)."""
    from django.db import connection

    shape = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f'SELECT * FROM "{table}"')
            shape[table] = sorted(
                tuple(
                    len(bytes(value)) if isinstance(value, (bytes, memoryview)) else len(str(value)) for value in row
                )
                for row in cursor.fetchall()
            )
    return shape


def test_the_database_does_not_tell_who_bids_or_how_many_bids_there_are(
    bidding_round, supplier_user, other_supplier_user, group, product, other_product
):
    """TRUST target 1 against a reader of the database: signing the commitment, bidding, amending and withdrawing
    change no table's number of rows and no stored value's length; nothing stored names the supplier."""
    bidding_round.refresh_from_db()
    from procurement import participation

    participation.ensure_slots(bidding_round)
    assert Participation.objects.filter(round=bidding_round).count() == 2  # both possible bidders, before anyone acts
    before = _database_shape()
    commitment_sign(actor=supplier_user, tender_round=bidding_round)
    services.bid_submit(actor=supplier_user, group=group, product=product, price="7", capacity=12345)
    services.bid_submit(actor=supplier_user, group=group, product=product, price="6.5", idempotency_key="k" * 100)
    commitment_sign(actor=other_supplier_user, tender_round=bidding_round)
    services.bid_submit(actor=other_supplier_user, group=group, product=other_product, price="6")
    services.bid_withdraw(actor=other_supplier_user, group=group)
    assert _database_shape() == before
    assert not Bid.objects.exists() and not BidVersion.objects.exists()
    for state in Participation.objects.values_list("state", flat=True):
        assert supplier_user.organisation.code.encode() not in bytes(state)


def test_a_supplier_with_many_changes_gets_a_clear_refusal_not_a_bigger_row(
    settings, signed, supplier_user, group, product
):
    settings.PARTICIPATION_MAX_CHANGES = 3
    for price in ("7", "6.9", "6.8"):
        services.bid_submit(actor=supplier_user, group=group, product=product, price=price)
    with pytest.raises(ProcurementError) as error:
        services.bid_submit(actor=supplier_user, group=group, product=product, price="6.7")
    assert error.value.code == "too_many_changes" and "3" in error.value.message
    assert len(own(signed, supplier_user).all_versions()) == 3
