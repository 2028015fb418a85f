"""Open data: each awarded round as an OCDS 1.1 release package (bids and lots extensions), valid against the
schema, consistent with the platform's records, and never published before the award."""

import copy
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from procurement import ocds
from procurement.models import AwardOutcome, Contract, OpenedBid, TenderRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return {tender_round.code: tender_round for tender_round in TenderRound.objects.all()}


def _package(client, code):
    answer = client.get(f"/announcements/open-data/{code}.json")
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == f'attachment; filename="ocds-{code}.json"'
    return json.loads(answer.content)


def test_the_awarded_round_is_a_valid_release_package(client, demo):
    package = _package(client, "GY-2024-11")
    assert ocds.validation_errors(package) == []
    assert package["version"] == "1.1" and set(ocds.EXTENSIONS) == set(package["extensions"])
    assert [release["tag"] for release in package["releases"]] == [["tender"], ["award"], ["contract"]]
    assert {release["ocid"] for release in package["releases"]} == {"ocds-vbp000-GY-2024-11"}


def test_the_package_says_what_the_platform_recorded(client, demo):
    tender_round = demo["GY-2024-11"]
    tender, award, contracts = _package(client, "GY-2024-11")["releases"]
    opened = OpenedBid.objects.filter(round=tender_round)
    details = {detail["id"]: detail for detail in tender["bids"]["details"]}
    assert len(details) == opened.count()
    for bid in opened:
        detail = details[f"bid-{bid.pk}"]
        assert detail["status"] == ("valid" if bid.valid else "disqualified")
        assert detail["tenderers"][0]["name"] == bid.supplier.name
        assert Decimal(str(detail["value"]["amount"])) == bid.pack_price
    lots = {lot["id"] for lot in tender["tender"]["lots"]}
    assert lots == set(tender_round.groups.values_list("code", flat=True))
    winners = AwardOutcome.objects.filter(run__round=tender_round, run__published_at__isnull=False, won=True)
    assert {(a["relatedLots"][0], a["suppliers"][0]["name"]) for a in award["awards"]} == {
        (outcome.group.code, outcome.supplier.name) for outcome in winners
    }
    assert sum(item["quantity"] for a in award["awards"] for item in a["items"]) == sum(w.allocated for w in winners)
    agreements = Contract.objects.filter(round=tender_round)
    assert len(contracts["contracts"]) == agreements.count()
    award_ids = {a["id"] for a in award["awards"]}
    assert all(row["awardID"] in award_ids for row in contracts["contracts"])
    first = agreements.order_by("pk").first()
    row = next(r for r in contracts["contracts"] if r["id"] == f"contract-{first.pk}")
    assert Decimal(str(row["value"]["amount"])) == (first.unit_price * first.agreed_quantity).quantize(Decimal("0.01"))
    party_ids = {party["id"] for party in tender["parties"]}
    assert all(t["id"] in party_ids for t in tender["tender"]["tenderers"])


def test_nothing_is_published_before_the_award(client, demo):
    for code in ("GY-2026-02", "GY-2026-01", "GY-2025-09"):
        assert client.get(f"/announcements/open-data/{code}.json").status_code == 404
        assert client.get(f"/api/v1/ocds/{code}/").status_code == 404
    page = client.get("/announcements/open-data/").content.decode()
    # The packages' table lists the awarded round only; the chain heads below it name the openings (public events).
    packages = page.split('data-testid="open-data"')[1].split("</table>")[0]
    assert "GY-2024-11" in packages and "GY-2025-09" not in packages and "GY-2026-01" not in packages
    heads = page.split('data-testid="chain-heads"')[1].split("</table>")[0]
    assert "opening GY-2025-09" in heads and "opening GY-2024-11" in heads and "GY-2026-01" not in heads


def test_the_api_serves_the_same_package_to_anyone(client, api_for, demo):
    from_api = api_for().get("/api/v1/ocds/GY-2024-11/")
    assert from_api.status_code == 200
    package = from_api.json()
    assert ocds.validation_errors(package) == []
    assert package["releases"][1]["awards"] == _package(client, "GY-2024-11")["releases"][1]["awards"]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("releases", 0, "tag", 0), "opening"),
        (("releases", 0, "ocid"), "GY-2024-11"),
        (("releases", 0, "date"), "2026-12-01 10:00"),
        (("releases", 1, "awards", 0, "status"), "won"),
        (("releases", 0, "bids", "details", 0, "status"), "accepted"),
        (("releases", 0, "tender", "lots", 0, "value", "amount"), "12.00"),
        (("version",), "1.0"),
    ],
)
def test_the_schema_refuses_what_ocds_does_not_allow(client, demo, path, value):
    package = copy.deepcopy(_package(client, "GY-2024-11"))
    target = package
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    assert ocds.validation_errors(package), path
