"""Browser journeys of the rule-set library, at desktop and phone widths: an officer gives a strength its own
ceiling (on the group form and from a spreadsheet), sees it on the round, follows the round's rule set to its
parameters, and picks a rule set by what it is."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from procurement.models import ProductGroup
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, GroupFactory, ProductFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 375])
def test_officer_sets_specification_ceilings_and_reads_the_rule_set(browser, live_server, officer, width, tmp_path):
    tender_round = RoundFactory(status="draft", name="2026 年第一批药品集采")
    group = GroupFactory(round=tender_round, code="G01")
    group.eligible_products.add(ProductFactory(generic_name=group.generic_name, dosage_form=group.dosage_form))
    other = GroupFactory(round=tender_round, code="G02", generic_name="坎地沙坦酯片")
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, officer.username, PASSWORD)

    # On the group form: one line per strength; a line that is not one is refused and nothing is saved.
    page.goto(f"{live_server.url}/rounds/{tender_round.pk}/groups/{group.pk}/edit/")
    page.fill("textarea[name=spec_ceilings]", "forty milligrams")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".errorlist")).to_contain_text("Line 1")
    assert ProductGroup.objects.get(pk=group.pk).spec_ceilings == []
    page.fill("textarea[name=spec_ceilings]", "40 mg = 2.1000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("spec-ceilings")).to_contain_text("40mg: 2.1000")

    # From a spreadsheet: the template, filled in for the other group.
    page.get_by_test_id("spec-ceilings-link").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template (Excel)").click()
    path = tmp_path / "ceilings.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    sheet = book.active
    rows = {sheet.cell(row=row, column=1).value: row for row in range(2, sheet.max_row + 1)}
    sheet.cell(row=rows["G02"], column=3).value = "4"
    sheet.cell(row=rows["G02"], column=5).value = "1.224"
    book.save(path)
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".message-success")).to_contain_text("2 groups")
    assert ProductGroup.objects.get(pk=other.pk).spec_ceilings == [
        {"strength": "4.0000", "strength_unit": "mg", "ceiling": "1.2240"}
    ]

    # The round names its rule set; the link shows its parameters in words.
    page.get_by_test_id("round-rule-set").click()
    expect(page.get_by_test_id("rule-set-parameters")).to_contain_text("order of bids at the same comparable price")
    expect(page.get_by_test_id("rule-set-description")).to_contain_text("What it changes")
    # The parameters table scrolls inside its own box rather than widening the page.
    assert page.evaluate(
        "document.querySelector('.table-scroll').getBoundingClientRect().right <= window.innerWidth + 1"
    )

    # A new round's rule set is picked by what it is.
    page.goto(f"{live_server.url}/rounds/new/")
    options = page.locator("select[name=rule_set] option").all_inner_texts()
    assert any(text.startswith("National VBP round 1 (4+7 alliance extension)") for text in options), options
    context.close()
