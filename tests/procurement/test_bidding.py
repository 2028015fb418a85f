"""Sealed bidding: commitment gate, the window by the server clock, amend/withdraw, idempotency, ciphertext at rest."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEntry
from credit.selectors.eligibility import Eligibility
from procurement import services
from procurement.exceptions import IdempotencyKeyReused, ProcurementError
from procurement.models import Bid, BidVersion, TenderRound
from procurement.sealing import SealedUntilOpening, associated_data, unseal

from .conftest import own, sealed_content

pytestmark = pytest.mark.django_db

CANARY = "13.5791"


def submit(user, group, product, price=CANARY, **kwargs):
    return services.bid_submit(actor=user, group=group, product=product, price=price, **kwargs)


def test_no_commitment_no_bid(supplier_user, group, product):
    with pytest.raises(ProcurementError) as error:
        submit(supplier_user, group, product)
    assert error.value.code == "no_commitment"
    assert not own(group.round, supplier_user).bids and not Bid.objects.exists()


def test_commitment_stores_signer_version_and_hash(supplier_user, bidding_round):
    from credit.models import Commitment, CommitmentText
    from procurement.services import commitment_sign

    commitment = commitment_sign(actor=supplier_user, tender_round=bidding_round)
    again = commitment_sign(actor=supplier_user, tender_round=bidding_round)
    # The text in force is the newest version (2026-1, the Chinese text alone), not the one it replaced.
    text = CommitmentText.objects.get(version="2026-1")
    assert "I, on behalf" not in text.body and "I, on behalf" in CommitmentText.objects.get(version="2025-1").body
    assert again.public_id == commitment.public_id
    assert (commitment.signed_by, commitment.text, commitment.text_sha256) == (supplier_user, text, text.sha256)
    # Sealed with the bids until the opening: who signed is who intends to bid.
    assert not Commitment.objects.exists()
    assert own(bidding_round, supplier_user).commitment.public_id == commitment.public_id


def test_credit_hook_is_consulted_and_can_refuse(supplier_user, group, product, committed):
    refusal = Eligibility(allowed=False, reasons=["serious dishonesty: bidding restricted until 2027-01-01"])
    with (
        mock.patch("procurement.services.bidding.bidding_eligibility", return_value=refusal) as hook,
        pytest.raises(ProcurementError) as error,
    ):
        submit(supplier_user, group, product)
    assert error.value.code == "credit_restricted"
    assert "2027-01-01" in str(error.value.message)
    hook.assert_called_once()
    assert hook.call_args.kwargs["supplier"] == supplier_user.organisation
    assert not own(group.round, supplier_user).bids


def test_credit_hook_allows_a_supplier_without_measures(supplier_org, bidding_round):
    from credit.selectors.eligibility import bidding_eligibility

    assert bidding_eligibility(supplier=supplier_org, tender_round=bidding_round, at=timezone.now()).allowed


def test_submit_gives_a_receipt_and_stores_only_ciphertext(supplier_user, group, product, committed):
    version = submit(supplier_user, group, product, capacity=500000)
    assert len(version.receipt_hash) == 64
    assert version.action == "submit" and version.number == 1
    # No bid row before the opening: the supplier's sealed part in the round holds it.
    assert not Bid.objects.exists() and not BidVersion.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT state FROM procurement_participation")
        stored = [bytes(row[0]) for row in cursor.fetchall()]
    for blob in [*stored, sealed_content(group.round, supplier_user, group)]:
        assert CANARY.encode() not in blob
        assert b"500000" not in blob
        assert product.national_drug_code.encode() not in blob
    # Not in the audit log until the opening (nothing in the log may count the bids).
    assert not AuditEntry.objects.filter(action="bid.submit").exists()
    assert own(group.round, supplier_user).versions[group.pk][0].receipt_hash == version.receipt_hash


def test_decryption_refused_before_opening_and_audited(supplier_user, group, product, committed):
    submit(supplier_user, group, product)
    aad = associated_data(
        round_code=group.round.code, group_code=group.code, supplier_code=supplier_user.organisation.code, version=1
    )
    with pytest.raises(SealedUntilOpening):
        unseal(group.round, sealed_content(group.round, supplier_user, group), aad)
    assert AuditEntry.objects.filter(action="bid.unseal_refused").count() == 1


def test_amend_keeps_every_version(supplier_user, group, product, committed):
    first = submit(supplier_user, group, product, price="14")
    second = submit(supplier_user, group, product, price="13")
    assert (second.number, second.action) == (2, "amend")
    assert first.receipt_hash != second.receipt_hash
    part = own(group.round, supplier_user)
    assert [version.number for version in part.versions[group.pk]] == [1, 2]
    assert part.bids[group.pk].current_version == 2


def test_withdraw_and_bid_again(supplier_user, group, product, committed):
    submit(supplier_user, group, product)
    withdrawal = services.bid_withdraw(actor=supplier_user, group=group)
    assert withdrawal.action == "withdraw" and withdrawal.sealed_content is None
    assert own(group.round, supplier_user).bids[group.pk].status == "withdrawn"
    with pytest.raises(ProcurementError) as error:
        services.bid_withdraw(actor=supplier_user, group=group)
    assert error.value.code == "nothing_to_withdraw"
    submit(supplier_user, group, product)
    part = own(group.round, supplier_user)
    assert part.bids[group.pk].status == "active"
    assert len(part.versions[group.pk]) == 3


def test_bid_one_second_late_is_refused(supplier_user, group, product, committed):
    TenderRound.objects.filter(pk=group.round_id).update(bid_closes_at=timezone.now() - timedelta(seconds=1))
    group.round.refresh_from_db()
    with pytest.raises(ProcurementError) as error:
        submit(supplier_user, group, product)
    assert error.value.code == "bid_window_closed"
    assert "closed at" in str(error.value.message)
    assert not own(group.round, supplier_user).versions


def test_bid_before_the_window_is_refused(supplier_user, group, product, committed):
    TenderRound.objects.filter(pk=group.round_id).update(
        status="demand", bid_opens_at=timezone.now() + timedelta(hours=1)
    )
    group.round.refresh_from_db()
    with pytest.raises(ProcurementError) as error:
        submit(supplier_user, group, product)
    assert error.value.code == "bid_window_not_open"


def test_window_follows_the_clock_even_if_the_scheduler_is_down(supplier_user, group, product, committed):
    # Status still says "demand" because beat has not run, but the bid window is open by the clock.
    TenderRound.objects.filter(pk=group.round_id).update(status="demand")
    group.round.refresh_from_db()
    assert submit(supplier_user, group, product).number == 1


def test_cancelled_round_takes_no_bids(supplier_user, group, product, committed):
    TenderRound.objects.filter(pk=group.round_id).update(status="cancelled")
    group.round.refresh_from_db()
    with pytest.raises(ProcurementError) as error:
        submit(supplier_user, group, product)
    assert error.value.code == "bid_window_closed"


def test_other_suppliers_product_is_refused(supplier_user, group, other_product, committed):
    with pytest.raises(ProcurementError) as error:
        submit(supplier_user, group, other_product)
    assert error.value.code == "ineligible_product"


def test_non_qualifying_tier_is_refused(supplier_user, group, product, committed):
    product.quality_tier = "other"
    product.save()
    with pytest.raises(ProcurementError) as error:
        submit(supplier_user, group, product)
    assert error.value.code == "ineligible_product"


@pytest.mark.parametrize("price", ["0", "-1", "abc", "1.23456", "NaN"])
def test_bad_prices(supplier_user, group, product, committed, price):
    with pytest.raises(ProcurementError) as error:
        submit(supplier_user, group, product, price=price)
    assert error.value.code == "price"


def test_unknown_region_is_refused(supplier_user, group, product, committed):
    with pytest.raises(ProcurementError) as error:
        submit(supplier_user, group, product, regions=["999999"])
    assert error.value.code == "regions"


def test_same_idempotency_key_replays_the_first_answer(supplier_user, group, product, committed):
    first = submit(supplier_user, group, product, idempotency_key="k-1")
    again = submit(supplier_user, group, product, idempotency_key="k-1")
    assert again.public_id == first.public_id
    assert len(own(group.round, supplier_user).versions[group.pk]) == 1
    with pytest.raises(IdempotencyKeyReused) as error:
        submit(supplier_user, group, product, price="12", idempotency_key="k-1")
    assert error.value.status_code == 422


def test_a_retry_after_the_close_still_gets_its_receipt(supplier_user, group, product, committed):
    first = submit(supplier_user, group, product, idempotency_key="k-late")
    TenderRound.objects.filter(pk=group.round_id).update(bid_closes_at=timezone.now() - timedelta(seconds=1))
    group.round.refresh_from_db()
    assert submit(supplier_user, group, product, idempotency_key="k-late").public_id == first.public_id
    with pytest.raises(ProcurementError) as error:
        submit(supplier_user, group, product, idempotency_key="k-new")
    assert error.value.code == "bid_window_closed"
    assert len(own(group.round, supplier_user).versions[group.pk]) == 1


def test_a_refused_retry_leaves_the_bid_as_it_was(supplier_user, group, product, committed):
    submit(supplier_user, group, product, idempotency_key="k-1")
    submit(supplier_user, group, product, idempotency_key="k-1")
    part = own(group.round, supplier_user)
    assert (part.bids[group.pk].current_version, len(part.versions[group.pk])) == (1, 1)


def test_product_by_its_national_drug_code(supplier_user, group, product, other_product, committed):
    version = submit(supplier_user, group, product.national_drug_code)
    assert version.number == 1
    for code in (other_product.national_drug_code, "NO-SUCH-CODE"):
        with pytest.raises(ProcurementError) as error:
            submit(supplier_user, group, code)
        assert error.value.code == "ineligible_product"


@pytest.mark.parametrize("status", ["draft", "demand", "bidding", "opened", "cancelled"])
def test_round_visibility_of_a_loaded_round_matches_the_queryset(users, bidding_round, status):
    from django.contrib.auth.models import AnonymousUser

    TenderRound.objects.filter(pk=bidding_round.pk).update(status=status)
    bidding_round.refresh_from_db()
    for user in [*users.values(), AnonymousUser()]:
        in_queryset = TenderRound.objects.visible_to(user).filter(pk=bidding_round.pk).exists()
        assert bidding_round.is_visible_to(user) == in_queryset, (user, status)


def test_only_suppliers_bid(hospital_user, officer, group, product):
    for user in (hospital_user, officer):
        with pytest.raises(ProcurementError) as error:
            submit(user, group, product)
        assert error.value.code == "not_supplier"


def test_comparable_price_of_a_bid(group, product, other_product):
    assert services.group_comparable_price(group, product, Decimal("14")) == Decimal("1.0000")
    # 40 mg × 7 at 11.9: 11.9 / (7/7) / 1.7 / 7 = 1.0000
    assert services.group_comparable_price(group, other_product, Decimal("11.9")) == Decimal("1.0000")
