import io

import pytest

from accounts.models import AuditEntry, Role
from procurement.models import Product, ProductImport
from tests.factories import ProductFactory
from tests.procurement.test_catalog_import import good_row, xlsx

pytestmark = pytest.mark.django_db


def product_payload(holder, code="API1"):
    return {
        "national_drug_code": code,
        "generic_name": "苯磺酸氨氯地平片",
        "dosage_form": "片剂",
        "strength_amount": "5",
        "strength_unit": "mg",
        "pack_size": 28,
        "smallest_unit": "tablet",
        "quality_tier": "consistency_passed",
        "holder": holder.pk,
    }


def test_every_role_reads_the_catalog(api_for, users, supplier_org):
    ProductFactory(holder=supplier_org)
    for user in users.values():
        response = api_for(user).get("/api/v1/products/")
        assert response.status_code == 200
        assert response.json()["count"] == 1


def test_inactive_products_hidden_from_other_organisations(api_for, users, supplier_org, other_supplier_org):
    ProductFactory(holder=other_supplier_org, is_active=False)
    assert api_for(users[Role.HOSPITAL_USER]).get("/api/v1/products/").json()["count"] == 0
    assert api_for(users[Role.SUPPLIER_USER]).get("/api/v1/products/").json()["count"] == 0
    assert api_for(users[Role.PROCUREMENT_OFFICER]).get("/api/v1/products/").json()["count"] == 1


def test_filter_and_search(api_for, officer, supplier_org):
    ProductFactory(holder=supplier_org, generic_name="恩替卡韦片", quality_tier="other")
    ProductFactory(holder=supplier_org, generic_name="阿莫西林胶囊")
    api = api_for(officer)
    assert api.get("/api/v1/products/", {"quality_tier": "other"}).json()["count"] == 1
    assert api.get("/api/v1/products/", {"search": "阿莫西林"}).json()["count"] == 1
    assert api.get("/api/v1/products/", {"holder": supplier_org.pk}).json()["count"] == 2


def test_officer_creates_and_updates_a_product(api_for, officer, supplier_org):
    api = api_for(officer)
    created = api.post("/api/v1/products/", product_payload(supplier_org), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["strength_amount"] == "5.0000"
    updated = api.patch(f"/api/v1/products/{created.json()['id']}/", {"pack_size": 14}, format="json")
    assert updated.status_code == 200
    assert Product.objects.get().pack_size == 14
    assert [entry.action for entry in AuditEntry.objects.order_by("id")] == ["product.create", "product.update"]


def test_holder_must_be_a_supplier(api_for, officer, hospital_org):
    response = api_for(officer).post("/api/v1/products/", product_payload(hospital_org), format="json")
    assert response.status_code == 400
    assert not Product.objects.exists()


@pytest.mark.parametrize("role", [Role.SUPPLIER_USER, Role.HOSPITAL_USER, Role.CREDIT_OFFICER])
def test_only_catalog_editors_write(api_for, users, supplier_org, role):
    api = api_for(users[role])
    assert api.post("/api/v1/products/", product_payload(supplier_org), format="json").status_code == 403
    product = ProductFactory(holder=supplier_org, pack_size=10)
    assert api.patch(f"/api/v1/products/{product.pk}/", {"pack_size": 1}, format="json").status_code == 403
    product.refresh_from_db()
    assert product.pack_size == 10
    assert api.get("/api/v1/product-imports/").status_code == 403


def test_import_through_api_with_idempotency_key(api_for, officer, supplier_org, django_capture_on_commit_callbacks):
    api = api_for(officer)
    content = xlsx([good_row("API-IMP", supplier_org)])

    def post():
        upload = io.BytesIO(content)
        upload.name = "catalog.xlsx"
        with django_capture_on_commit_callbacks(execute=True):
            return api.post(
                "/api/v1/product-imports/", {"file": upload}, HTTP_IDEMPOTENCY_KEY="abc", format="multipart"
            )

    first, second = post(), post()
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    assert ProductImport.objects.count() == 1
    assert Product.objects.filter(national_drug_code="API-IMP").count() == 1
    detail = api.get(f"/api/v1/product-imports/{first.json()['id']}/").json()
    assert (detail["status"], detail["rows_created"]) == ("succeeded", 1)


def test_rejected_import_through_api_reports_lines(api_for, officer, supplier_org, django_capture_on_commit_callbacks):
    upload = io.BytesIO(xlsx([good_row("X", supplier_org, pack="zero")]))
    upload.name = "catalog.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(officer).post("/api/v1/product-imports/", {"file": upload}, format="multipart")
    job = api_for(officer).get(f"/api/v1/product-imports/{response.json()['id']}/").json()
    assert job["status"] == "rejected"
    assert job["errors"][0]["line"] == 2
    assert not Product.objects.exists()
