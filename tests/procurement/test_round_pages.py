"""Round pages × roles, and the main flows through the HTML forms."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from procurement.models import DemandReport, OpenedBid, TenderRound
from tests.factories import GroupFactory, RoundFactory, rule_set
from tests.procurement.conftest import move_to_opening, own
from tests.procurement.test_demand import xlsx

pytestmark = pytest.mark.django_db

OFFICER, CREDIT, ADMIN = Role.PROCUREMENT_OFFICER, Role.CREDIT_OFFICER, Role.ADMINISTRATOR
SUPPLIER, HOSPITAL = Role.SUPPLIER_USER, Role.HOSPITAL_USER
ALL = {OFFICER, CREDIT, ADMIN, SUPPLIER, HOSPITAL}
EDITORS = {OFFICER, ADMIN}

PAGES = [
    ("procurement:round_list", False, ALL),
    ("procurement:round_create", False, EDITORS),
    ("procurement:round_detail", True, ALL),
    ("procurement:round_edit", True, EDITORS),
    ("procurement:round_extend_demand", True, EDITORS),
    ("procurement:group_create", True, EDITORS),
    ("procurement:round_demand_summary", True, EDITORS),
    ("procurement:round_demand", True, {HOSPITAL}),
    ("procurement:round_demand_template", True, {HOSPITAL}),
    ("procurement:round_commitment", True, {SUPPLIER}),
    ("procurement:round_bids", True, {SUPPLIER}),
    ("procurement:round_opening", True, ALL),
]


@pytest.mark.parametrize(("name", "needs_round", "allowed"), PAGES, ids=[page[0] for page in PAGES])
@pytest.mark.parametrize("role", sorted(ALL))
def test_round_page_access(client, users, bidding_round, name, needs_round, allowed, role):
    client.force_login(users[role])
    url = reverse(name, args=[bidding_round.pk]) if needs_round else reverse(name)
    assert client.get(url).status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("role", [SUPPLIER, HOSPITAL])
def test_draft_round_is_404_for_suppliers_and_hospitals(client, users, role):
    draft = RoundFactory(status="draft")
    client.force_login(users[role])
    assert client.get(reverse("procurement:round_detail", args=[draft.pk])).status_code == 404


def test_officer_sets_up_a_round_through_the_form(client, officer):
    client.force_login(officer)
    now = timezone.localtime()
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(
        reverse("procurement:round_create"),
        {
            "code": "FORM-1",
            "name": "Form round",
            "scope": "drugs",
            "rule_set": rule_set().pk,
            "demand_opens_at": now.strftime(fmt),
            "demand_closes_at": (now + timedelta(days=3)).strftime(fmt),
            "bid_opens_at": (now + timedelta(days=4)).strftime(fmt),
            "bid_closes_at": (now + timedelta(days=5)).strftime(fmt),
            "opening_at": (now + timedelta(days=5)).strftime(fmt),
            "cycle_months": 24,
        },
    )
    tender_round = TenderRound.objects.get(code="FORM-1")
    assert response.status_code == 302 and response.url == reverse("procurement:round_detail", args=[tender_round.pk])


def test_form_shows_timetable_errors(client, officer):
    client.force_login(officer)
    now = timezone.localtime()
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(
        reverse("procurement:round_create"),
        {
            "code": "FORM-2",
            "name": "Bad",
            "scope": "drugs",
            "rule_set": rule_set().pk,
            "demand_opens_at": now.strftime(fmt),
            "demand_closes_at": (now - timedelta(days=3)).strftime(fmt),
            "bid_opens_at": (now + timedelta(days=4)).strftime(fmt),
            "bid_closes_at": (now + timedelta(days=5)).strftime(fmt),
            "opening_at": (now + timedelta(days=5)).strftime(fmt),
            "cycle_months": 24,
        },
    )
    assert response.status_code == 200
    assert "timetable must run" in response.content.decode()
    assert not TenderRound.objects.filter(code="FORM-2").exists()


def test_supplier_signs_and_bids_through_the_pages(client, supplier_user, group, product):
    client.force_login(supplier_user)
    round_id = group.round_id
    page = client.get(reverse("procurement:round_bids", args=[round_id])).content.decode()
    assert "Sign the credit commitment" in page
    client.post(reverse("procurement:round_commitment", args=[round_id]), {"agree": "on"})
    prefix = f"g{group.pk}"
    response = client.post(
        reverse("procurement:round_bids", args=[round_id]),
        {
            "group": group.pk,
            f"{prefix}-product": product.pk,
            f"{prefix}-price": "6.3",
            f"{prefix}-capacity": "",
            f"{prefix}-idempotency_key": "page-bid-1",
        },
    )
    assert response.status_code == 302
    (version,) = own(group.round, supplier_user).all_versions()
    page = client.get(reverse("procurement:round_bids", args=[round_id])).content.decode()
    assert version.receipt_hash in page
    # A double click sends the same key: still one version.
    client.post(
        reverse("procurement:round_bids", args=[round_id]),
        {
            "group": group.pk,
            f"{prefix}-product": product.pk,
            f"{prefix}-price": "6.3",
            f"{prefix}-capacity": "",
            f"{prefix}-idempotency_key": "page-bid-1",
        },
    )
    assert len(own(group.round, supplier_user).all_versions()) == 1
    client.post(reverse("procurement:round_bid_withdraw", args=[round_id, group.pk]), {"idempotency_key": "w1"})
    assert own(group.round, supplier_user).bids[group.pk].status == "withdrawn"


def test_comparable_preview(client, supplier_user, group, product):
    client.force_login(supplier_user)
    prefix = f"g{group.pk}-"
    body = client.post(
        reverse("procurement:round_bid_preview", args=[group.round_id, group.pk]),
        {prefix + "product": product.pk, prefix + "price": "14"},
    ).content.decode()
    assert "Unit-comparable price: 1.0000 (ceiling 1.0000)" in body
    above = client.post(
        reverse("procurement:round_bid_preview", args=[group.round_id, group.pk]),
        {prefix + "product": product.pk, prefix + "price": "15"},
    ).content.decode()
    assert "above the ceiling" in above


def demand_round():
    """A round whose demand window is open now, bidding to come."""
    now = timezone.now()
    return RoundFactory(
        status="demand",
        demand_opens_at=now - timedelta(days=1),
        demand_closes_at=now + timedelta(days=1),
        bid_opens_at=now + timedelta(days=2),
        bid_closes_at=now + timedelta(days=3),
        opening_at=now + timedelta(days=3),
    )


def test_hospital_reports_through_form_and_excel(client, hospital_user):
    tender_round = demand_round()
    group = GroupFactory(round=tender_round, code="G01")
    client.force_login(hospital_user)
    client.post(reverse("procurement:round_demand", args=[tender_round.pk]), {f"quantity_{group.pk}": "800"})
    assert DemandReport.objects.get().quantity == 800
    upload = io.BytesIO(xlsx([["G01", "", "x", ""]]))
    upload.name = "demand.xlsx"
    response = client.post(reverse("procurement:round_demand_upload", args=[tender_round.pk]), {"file": upload})
    assert response.status_code == 400
    assert "Annual quantity" in response.content.decode()
    assert DemandReport.objects.get().quantity == 800
    template = client.get(reverse("procurement:round_demand_template", args=[tender_round.pk]))
    upload = io.BytesIO(template.content)
    upload.name = "demand.xlsx"
    response = client.post(reverse("procurement:round_demand_upload", args=[tender_round.pk]), {"file": upload})
    assert response.status_code == 302
    assert DemandReport.objects.get().quantity == 800


def test_officer_opens_and_everyone_sees_the_table(
    client, officer, hospital_user, supplier_user, group, product, committed, bidding_round
):
    from procurement import services

    version = services.bid_submit(actor=supplier_user, group=group, product=product, price="6.3")
    move_to_opening(bidding_round)
    client.force_login(officer)
    response = client.post(reverse("procurement:round_open", args=[bidding_round.pk]))
    assert response.status_code == 302 and OpenedBid.objects.count() == 1
    client.force_login(hospital_user)
    body = client.get(reverse("procurement:round_opening", args=[bidding_round.pk])).content.decode()
    assert "6.3000" in body and "0.4500" in body
    client.force_login(supplier_user)
    check = client.get(
        reverse("procurement:round_opening", args=[bidding_round.pk]), {"receipt": version.receipt_hash}
    )
    assert "The opened content matches it." in check.content.decode()


def test_old_round_addresses_redirect_permanently_keeping_method_and_query(client, officer):
    """Rounds moved from /catalog/rounds/ to /rounds/: bookmarks and forms posted to the old address still work."""
    client.force_login(officer)
    response = client.get("/catalog/rounds/12/bids/?status=open&page=2")
    assert response.status_code == 308
    assert response["Location"] == "/rounds/12/bids/?status=open&page=2"
    posted = client.post("/catalog/rounds/12/transition/", {"to_status": "cancelled"})
    assert posted.status_code == 308 and posted["Location"] == "/rounds/12/transition/"
    assert client.get("/catalog/rounds/")["Location"] == "/rounds/"
    assert client.get("/catalog/rounds/", follow=True).status_code == 200
    assert client.get("/catalog/rounds/3/demand/template.xlsx")["Location"] == "/rounds/3/demand/template.xlsx"
    for hostile in (
        "/catalog/rounds/..%2f..%2fadmin/",
        "/catalog/rounds/%0d%0aSet-Cookie:x=1",
        "/catalog/rounds/a%00",
    ):
        assert client.get(hostile).status_code in (400, 404)


def test_the_demand_form_refuses_zero_as_the_upload_does_and_empty_withdraws(client, hospital_user):
    tender_round = demand_round()
    group = GroupFactory(round=tender_round, code="G01")
    client.force_login(hospital_user)
    url = reverse("procurement:round_demand", args=[tender_round.pk])
    client.post(url, {f"quantity_{group.pk}": "800"})
    refused = client.post(url, {f"quantity_{group.pk}": "0"})
    assert refused.status_code == 200 and "greater than or equal to 1" in refused.content.decode()
    assert DemandReport.objects.get().quantity == 800
    client.post(url, {f"quantity_{group.pk}": ""})
    assert not DemandReport.objects.exists()


def test_a_supplier_with_one_eligible_product_finds_it_chosen(client, supplier_user, group, product, committed):
    client.force_login(supplier_user)
    page = client.get(reverse("procurement:round_bids", args=[group.round_id])).content.decode()
    form = page.split(f'name="g{group.pk}-product"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{product.pk}" selected>' in form
    assert "---------" not in form


def test_a_supplier_prints_receipts_of_its_own_bids_without_the_price(
    client, supplier_user, other_supplier_user, group, product, other_product, committed
):
    from procurement.services import bid_submit, commitment_sign

    mine = bid_submit(actor=supplier_user, group=group, product=product, price="6.3456")
    commitment_sign(actor=other_supplier_user, tender_round=group.round)
    theirs = bid_submit(actor=other_supplier_user, group=group, product=other_product, price="9.8765")
    client.force_login(supplier_user)
    page = client.get(reverse("procurement:round_bid_receipts", args=[group.round_id])).content.decode()
    assert mine.receipt_hash in page and str(mine.public_id) in page
    assert theirs.receipt_hash not in page and str(theirs.public_id) not in page
    assert "6.3456" not in page and "6,3456" not in page and product.national_drug_code not in page
    assert "@media print" in (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
