"""Hospital demand: form/API upsert within the window, spreadsheet all-or-nothing, idempotent uploads."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import AuditEntry
from procurement import services
from procurement.exceptions import ProcurementError
from procurement.models import DemandReport, DemandUpload
from tests.factories import GroupFactory, ProductFactory, RoundFactory

pytestmark = pytest.mark.django_db

HEADER = ["Group code", "Generic name", "Annual quantity (smallest units)", "Brand used (national drug code)"]


@pytest.fixture
def demand_round(db):
    now = timezone.now()
    return RoundFactory(
        status="demand",
        demand_opens_at=now - timedelta(days=1),
        demand_closes_at=now + timedelta(days=1),
        bid_opens_at=now + timedelta(days=2),
        bid_closes_at=now + timedelta(days=3),
        opening_at=now + timedelta(days=3),
    )


@pytest.fixture
def groups(demand_round):
    return [
        GroupFactory(round=demand_round, code="G01"),
        GroupFactory(round=demand_round, code="G02", generic_name="恩替卡韦片"),
    ]


def xlsx(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_report_and_correct(hospital_user, groups):
    services.demand_report(actor=hospital_user, group=groups[0], quantity=1200)
    services.demand_report(actor=hospital_user, group=groups[0], quantity=1500)
    report = DemandReport.objects.get()
    assert (report.quantity, report.hospital, report.reported_by) == (1500, hospital_user.organisation, hospital_user)
    entries = AuditEntry.objects.filter(action="demand.report").order_by("id")
    assert [entry.before for entry in entries] == [None, {"quantity": 1200, "brand": None}]


def test_brand_must_belong_to_the_group(hospital_user, groups):
    wrong = ProductFactory(generic_name="阿莫西林胶囊", dosage_form="胶囊剂")
    with pytest.raises(ProcurementError) as error:
        services.demand_report(actor=hospital_user, group=groups[0], quantity=10, brand=wrong)
    assert error.value.code == "brand_outside_group"
    right = ProductFactory()
    services.demand_report(actor=hospital_user, group=groups[0], quantity=10, brand=right)
    assert DemandReport.objects.get().brand == right


def test_outside_the_window(hospital_user, groups, demand_round):
    type(demand_round).objects.filter(pk=demand_round.pk).update(
        demand_closes_at=timezone.now() - timedelta(seconds=1)
    )
    groups[0].round.refresh_from_db()
    with pytest.raises(ProcurementError) as error:
        services.demand_report(actor=hospital_user, group=groups[0], quantity=10)
    assert error.value.code == "demand_window_closed"


def test_only_hospitals_report(supplier_user, officer, groups):
    for user in (supplier_user, officer):
        with pytest.raises(ProcurementError) as error:
            services.demand_report(actor=user, group=groups[0], quantity=10)
        assert error.value.code == "not_hospital"


def test_good_upload_applies_every_row(hospital_user, groups, demand_round):
    brand = ProductFactory()
    upload = services.demand_upload(
        actor=hospital_user,
        tender_round=demand_round,
        filename="demand.xlsx",
        content=xlsx([["G01", "", 1000, brand.national_drug_code], ["G02", "", 250, ""]]),
    )
    assert upload.accepted and upload.rows == 2
    assert dict(DemandReport.objects.values_list("group__code", "quantity")) == {"G01": 1000, "G02": 250}


def test_bad_upload_changes_nothing(hospital_user, groups, demand_round):
    services.demand_report(actor=hospital_user, group=groups[0], quantity=77)
    upload = services.demand_upload(
        actor=hospital_user,
        tender_round=demand_round,
        filename="demand.xlsx",
        content=xlsx(
            [
                ["G01", "", 1000, ""],
                ["G09", "", 5, ""],
                ["G02", "", "many", ""],
                ["G01", "", 3, ""],
                ["G02", "", 4, "NO-SUCH-CODE"],
            ]
        ),
    )
    assert not upload.accepted
    assert [(error["line"], error["column"]) for error in upload.errors] == [
        (3, "Group code"),
        (4, "Annual quantity (smallest units)"),
        (5, "Group code"),
        (6, "Group code"),
    ]
    assert upload.errors[2]["message"] == "Same value as line 2."
    assert list(DemandReport.objects.values_list("quantity", flat=True)) == [77]


def test_unknown_brand_is_reported(hospital_user, groups, demand_round):
    upload = services.demand_upload(
        actor=hospital_user,
        tender_round=demand_round,
        filename="demand.xlsx",
        content=xlsx([["G01", "", 1000, "NO-SUCH-CODE"]]),
    )
    assert upload.errors == [
        {"line": 2, "column": "Brand used (national drug code)", "message": "No product has this national drug code."}
    ]
    assert not DemandReport.objects.exists()


def test_upload_retry_with_the_same_key(hospital_user, groups, demand_round):
    content = xlsx([["G01", "", 1000, ""]])
    first = services.demand_upload(
        actor=hospital_user, tender_round=demand_round, filename="d.xlsx", content=content, idempotency_key="same"
    )
    again = services.demand_upload(
        actor=hospital_user, tender_round=demand_round, filename="d.xlsx", content=content, idempotency_key="same"
    )
    assert first.pk == again.pk and DemandUpload.objects.count() == 1
    assert AuditEntry.objects.filter(action="demand.report").count() == 1


def test_template_is_prefilled(hospital_user, groups, demand_round):
    from procurement.services.demand import demand_template_rows

    services.demand_report(actor=hospital_user, group=groups[1], quantity=42)
    rows = demand_template_rows(demand_round, hospital_user.organisation)
    assert [row[0] for row in rows] == ["G01", "G02"]
    assert (rows[0][2], rows[1][2]) == ("", 42)


def test_visibility(hospital_user, other_hospital_org, groups, officer, supplier_user):
    from tests.factories import UserFactory

    services.demand_report(actor=hospital_user, group=groups[0], quantity=5)
    other = UserFactory(role="hospital_user", organisation=other_hospital_org)
    services.demand_report(actor=other, group=groups[0], quantity=6)
    assert list(DemandReport.objects.visible_to(hospital_user).values_list("quantity", flat=True)) == [5]
    assert DemandReport.objects.visible_to(officer).count() == 2
    assert DemandReport.objects.visible_to(supplier_user).count() == 0
