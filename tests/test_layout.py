"""The frame every page shares (issue 18): an icon where browsers look for one, and a font stack that has Chinese
faces, so that a machine without a default CJK font does not show boxes."""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "static"


@pytest.fixture
def demo_officer(db, client, settings):
    """The demo platform, with the client signed in as its procurement officer (no second factor in tests)."""
    from django.core.management import call_command

    from accounts.models import User

    settings.SECOND_FACTOR_REQUIRED = False
    call_command("load_demo", verbosity=0)
    officer = User.objects.get(username="officer")
    client.force_login(officer)
    return officer


@pytest.mark.django_db
def test_the_favicon_is_served_where_browsers_ask_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert re.fullmatch(r"/static/favicon(\.[0-9a-f]+)?\.ico", response["Location"])
    icon = (STATIC / "favicon.ico").read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00" and int.from_bytes(icon[4:6], "little") == 3  # an icon of three sizes


@pytest.mark.django_db
def test_every_page_links_its_icons(client):
    page = client.get("/login/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page and "favicon" in page.split("favicon.svg", 1)[1]


def test_the_font_stack_names_chinese_faces_before_the_generic_family():
    css = (STATIC / "css" / "app.css").read_text()
    stack = re.search(r"--pico-font-family-sans-serif:([^;]+);", css).group(1)
    faces = [face.strip().strip('"') for face in stack.split(",")]
    generic = faces.index("sans-serif")
    for face in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"):
        assert faces.index(face) < generic


@pytest.mark.django_db
def test_debug_mode_answers_a_missing_page_with_the_platforms_page_not_the_url_list(client, settings):
    from django.test import override_settings

    with override_settings(DEBUG=True, FRIENDLY_ERROR_PAGES=True):
        response = client.get("/no-such-page/")
        missing_object = client.get("/rounds/999999999/")
    for answer in (response, missing_object):
        page = answer.content.decode()
        assert answer.status_code in (404, 302)
        assert "URLconf" not in page and "urlpatterns" not in page
    assert response.status_code == 404 and "There is nothing here" in response.content.decode()


@pytest.mark.django_db
def test_debug_mode_answers_a_crash_with_the_platforms_page_and_logs_the_traceback(rf, settings, caplog):
    from django.test import override_settings

    from core.error_pages import FriendlyErrorsMiddleware

    with override_settings(DEBUG=True, FRIENDLY_ERROR_PAGES=True):
        middleware = FriendlyErrorsMiddleware(lambda request: None)
        response = middleware.process_exception(rf.get("/crash/"), RuntimeError("database gone"))
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()
    assert "database gone" in caplog.text
    with override_settings(DEBUG=True, FRIENDLY_ERROR_PAGES=False):
        assert FriendlyErrorsMiddleware(lambda request: None).process_exception(rf.get("/"), RuntimeError()) is None


@pytest.mark.django_db
def test_an_award_page_writes_money_in_yuan_with_separators(client, demo_officer):
    from procurement.models import TenderRound

    in_effect = TenderRound.objects.get(code="GY-2024-11")
    run = in_effect.award_runs.published().get()
    page = client.get(f"/rounds/{in_effect.pk}/award/{run.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    total = f"{run.total_cost:,.2f}"
    assert "," in total and f"{total} 元" in page
    totals = page.split('data-testid="run-totals"', 1)[1].split("</section>", 1)[0]
    assert str(run.total_cost) not in totals  # the figures, not the stored four-place value


@pytest.mark.django_db
def test_award_pages_name_regions_suppliers_and_reasons(client, demo_officer):
    from accounts.models import Organisation, Region
    from procurement.models import AllocationLine, TenderRound

    in_effect = TenderRound.objects.get(code="GY-2024-11")
    run = in_effect.award_runs.published().get()
    base = f"/rounds/{in_effect.pk}/award"
    result = run.group_results.select_related("group").first()
    region_code, supplier_code = next(iter(sorted(result.regions.items())))
    region = Region.objects.get(code=region_code)
    supplier = Organisation.objects.get(code=supplier_code)
    page = client.get(f"{base}/{run.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"<td>{region.name} <small><code>{region_code}</code></small></td><td>{supplier.name}</td>" in page
    compare = client.get(f"{base}/compare/?a={run.pk}&b={run.pk}").content.decode()
    table = compare.split('data-testid="compare-table"', 1)[1]
    assert supplier.name in table and supplier_code not in table
    line = AllocationLine.objects.filter(run=run, reason="primary_supplier").first()
    lines = client.get(f"{base}/{run.pk}/lines/?reason=primary_supplier", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert line is not None
    assert "所在地区的主供企业 <small><code>primary_supplier</code></small>" in lines.content.decode()


@pytest.mark.django_db
def test_the_public_catalog_names_every_threshold_period_and_step(client):
    from credit.labels import BENCHMARK, PROCEDURE

    page = client.get("/credit/catalog/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "告知书送达后的申辩期（工作日） <small><code>defence_working_days</code></small>" in page
    assert "≥ 10,000.00 元 → 一般" in page  # the 2020 single kickback table, as money and a level's name
    assert "已停止失信行为" in page and "conduct_stopped" not in page  # repair steps in words
    # Every threshold and period on the page is named; its code is only the small print beside the name.
    for code in [*BENCHMARK, *PROCEDURE]:
        assert f"<td><code>{code}</code>" not in page


@pytest.mark.django_db
def test_a_hospital_picks_the_product_from_its_own_agreements(client, settings):
    from tests.factories import ContractFactory, HospitalUserFactory

    settings.SECOND_FACTOR_REQUIRED = False
    mine, theirs = ContractFactory(), ContractFactory()
    client.force_login(HospitalUserFactory(organisation=mine.hospital))
    page = client.get("/contracts/purchases/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'list="agreed-products"' in page
    assert f'<option value="{mine.product.national_drug_code}">{mine.product} · {mine.supplier.name}' in page
    assert theirs.product.national_drug_code not in page
    assert "/api/v1/purchases" not in page and "Idempotency-Key" not in page


@pytest.mark.django_db
def test_the_round_tabs_mark_the_page_you_are_on(client, demo_officer):
    from procurement.models import TenderRound

    in_effect = TenderRound.objects.get(code="GY-2024-11")
    run = in_effect.award_runs.published().get()

    def current(url):
        page = client.get(url).content.decode()
        tabs = page.split('class="actions round-tabs"', 1)[1].split("</nav>", 1)[0]
        return [
            chunk.split(">", 1)[1].split("<", 1)[0]
            for chunk in tabs.split("<a ")[1:]
            if 'aria-current="page"' in chunk
        ]

    assert current(f"/rounds/{in_effect.pk}/") == ["Round"]
    assert current(f"/rounds/{in_effect.pk}/award/{run.pk}/lines/") == ["Award"]
    assert current(f"/rounds/{in_effect.pk}/award-preview/") == ["Quick preview"]


@pytest.mark.django_db
def test_completion_alerts_lead_to_the_agreements_and_hospitals_they_count(client, demo_officer):
    from datetime import timedelta

    from django.utils import timezone

    from procurement.models import Contract, TenderRound
    from procurement.selectors import contracts as selectors

    in_effect = TenderRound.objects.get(code="GY-2024-11")
    # Half the cycle has passed with nothing bought: every agreement is behind, every hospital silent.
    start = timezone.localdate() - timedelta(days=180)
    Contract.objects.filter(round=in_effect).update(cycle_start=start, cycle_end=start + timedelta(days=364))
    TenderRound.objects.filter(pk=in_effect.pk).update(cycle_starts_on=start)
    alerts = selectors.alerts(TenderRound.objects.get(pk=in_effect.pk))
    assert alerts["behind"] and alerts["silent"]
    page = client.get(f"/contracts/rounds/{in_effect.pk}/completion/").content.decode()
    assert '<a href="#behind">' in page and '<a href="#silent">' in page
    behind = page.split('data-testid="behind"', 1)[1].split("</details>", 1)[0]
    assert f'href="/contracts/{alerts["behind"][0].pk}/"' in behind
    silent = page.split('data-testid="silent"', 1)[1].split("</details>", 1)[0]
    first = alerts["silent"][0]
    assert f"?round={in_effect.pk}&amp;hospital={first.hospital_id}" in silent and first.hospital.name in silent


@pytest.mark.django_db
def test_officers_export_lines_search_agreements_and_read_overrides(client, demo_officer):
    import io

    from openpyxl import load_workbook

    from procurement.models import AllocationLine, Contract, TenderRound
    from procurement.services.award import award_compute

    officer = demo_officer
    in_effect = TenderRound.objects.get(code="GY-2024-11")
    run = in_effect.award_runs.published().get()
    export = client.get(f"/rounds/{in_effect.pk}/award/{run.pk}/lines/?reason=primary_supplier&export=1")
    assert export["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row - 1 == AllocationLine.objects.filter(run=run, reason="primary_supplier").count() > 0
    assert {row[6] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"primary supplier of the region"}

    contract = Contract.objects.filter(round=in_effect).select_related("hospital").first()
    page = client.get(f"/contracts/?q={contract.hospital.name}")
    found = set(page.context["page"].paginator.object_list.values_list("hospital", flat=True))
    assert found == {contract.hospital_id}

    opened = TenderRound.objects.get(code="GY-2025-09")
    what_if = award_compute(actor=officer, tender_round=opened, overrides={"threshold_multiple": "1.5"})
    text = client.get(f"/rounds/{opened.pk}/award/{what_if.pk}/").content.decode()
    assert (
        "at most this multiple of the lowest comparable price <small><code>threshold_multiple</code></small> = 1.5"
        in text
    )
    header = text.split('data-testid="tie-rule"', 1)[0]  # the audit trail below keeps the stored JSON, as stored
    assert "{&#x27;threshold_multiple&#x27;" not in header


@pytest.mark.django_db
def test_every_figure_of_the_officers_dashboards_leads_to_its_detail(client, demo_officer):
    """A figure on a dashboard is a link to the rows it counts (award totals, demand completeness, home figures)."""
    from accounts.models import User
    from procurement.models import AwardRun, TenderRound

    in_effect = TenderRound.objects.get(code="GY-2024-11")
    run = AwardRun.objects.filter(round=in_effect).first()
    pages = [
        "/",
        f"/rounds/{in_effect.pk}/award/{run.pk}/",
        f"/rounds/{TenderRound.objects.get(code='GY-2026-02').pk}/demand/summary/",
    ]
    for url in pages:
        page = client.get(url).content.decode()
        figures = re.findall(r"<article>(.*?)</article>", page.split('class="stats"', 1)[1].split("</section>", 1)[0])
        assert figures, url
        unlinked = [figure for figure in figures if "<a href=" not in figure]
        assert not unlinked, f"{url}: {unlinked}"
    # The completion dashboard: cities to their hospitals, groups and suppliers to their agreements.
    completion = client.get(f"/contracts/rounds/{in_effect.pk}/completion/").content.decode()
    group = in_effect.groups.order_by("code").first()
    assert f"/contracts/?round={in_effect.pk}&amp;group={group.pk}" in completion
    assert f"/contracts/?round={in_effect.pk}&amp;supplier=" in completion
    client.force_login(User.objects.get(username="credit"))
    home = client.get("/credit/").content.decode()
    queue = home.split("Waiting for the authority", 1)[1].split("</article>", 1)[0]
    assert queue.count("<strong>") == queue.count("/credit/review/#") == 6
