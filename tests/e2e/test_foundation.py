"""Browser journeys of the foundation: every role logs in and lands on its home; an officer imports products."""

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from accounts.models import Role
from procurement.models import Product
from tests.e2e.conftest import log_in, open_menu
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_TITLES = {
    Role.PROCUREMENT_OFFICER: "Procurement officer home",
    Role.CREDIT_OFFICER: "Credit officer home",
    Role.ADMINISTRATOR: "Administrator home",
    Role.SUPPLIER_USER: "Supplier home",
    Role.HOSPITAL_USER: "Hospital home",
}


def test_every_role_logs_in_and_sees_its_home(page, live_server, users):
    for role, user in users.items():
        log_in(page, live_server, user.username, PASSWORD)
        assert page.get_by_test_id("home-title").inner_text() == HOME_TITLES[role]
        open_menu(page)
        nav = page.locator("header nav").inner_text()
        assert ("Audit log" in nav) == (role in (Role.PROCUREMENT_OFFICER, Role.CREDIT_OFFICER, Role.ADMINISTRATOR))
        page.get_by_test_id("user-menu").click()
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url("**/login/")


def test_wrong_password_stays_on_login(page, live_server, supplier_user):
    log_in(page, live_server, supplier_user.username, "not-the-password")
    assert "/login/" in page.url
    assert page.locator(".errorlist").count() == 1


def test_language_switch_to_chinese(page, live_server, hospital_user):
    log_in(page, live_server, hospital_user.username, PASSWORD)
    open_menu(page)
    page.select_option("select[name=language]", "zh-hans")
    expect(page.get_by_test_id("home-title")).to_have_text("医疗机构首页")


def test_officer_imports_products_from_excel(page, live_server, officer, supplier_org, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "National drug code",
            "Generic name",
            "Dosage form",
            "Strength",
            "Strength unit",
            "Pack size",
            "Smallest unit",
            "Quality tier",
            "Holder's unified social credit code",
        ]
    )
    sheet.append(["E2E-1", "恩替卡韦片", "片剂", "0.5", "mg", 28, "tablet", "consistency_passed", supplier_org.code])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(buffer.getvalue())

    log_in(page, live_server, officer.username, PASSWORD)
    page.get_by_role("button", name="Import products from Excel").click()
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Upload").click()
    result = page.get_by_test_id("import-result")
    result.wait_for()
    assert "1 products added" in result.inner_text()
    assert Product.objects.filter(national_drug_code="E2E-1").exists()
    page.get_by_role("link", name="Product catalog").last.click()
    page.fill("input[name=q]", "恩替卡韦")
    expect(page.locator("#results tbody tr")).to_have_count(1)


def test_officer_logs_in_with_a_second_factor(page, live_server, officer, settings):
    from base64 import b32decode

    from django_otp.oath import TOTP

    settings.SECOND_FACTOR_REQUIRED = True
    log_in(page, live_server, officer.username, PASSWORD)
    assert "/otp/" in page.url
    expect(page.get_by_test_id("qr")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.fill("#id_token", f"{TOTP(b32decode(secret)).token():06d}")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("home-title")).to_have_text(HOME_TITLES[Role.PROCUREMENT_OFFICER])
    page.goto(f"{live_server.url}/audit/verification/")
    page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("verification")).to_contain_text("The audit chain is intact")
