"""Open data: each awarded round as an OCDS 1.1 release package (bids and lots extensions), valid against the
schema, consistent with the platform's records, and never published before the award."""

import copy
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from procurement.io import ocds
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


def test_the_official_review_finds_no_error_and_no_warning_in_any_published_round(client, demo):
    """libcoveocds, offline, with the standard and the declared extension versions: nothing but the documented
    open-codelist extension (the national drug code as the items' classification scheme)."""
    from procurement.io.ocds_review import review

    published = [code for code, tender_round in demo.items() if ocds.publishable(tender_round)]
    assert published == ["GY-2024-11"]
    for code in published:
        package = _package(client, code)
        found = review(package)
        assert found["errors"] == [] and found["warnings"] == [], (code, found)
        assert {note.split(":")[1].strip() for note in found["notes"]} == {
            "'CN-NHSA' is not in itemClassificationScheme.csv"
        }
        assert ocds.validation_errors(package) == []
    assert package["version"] == "1.1" and set(ocds.EXTENSIONS) == set(package["extensions"])
    assert [release["tag"] for release in package["releases"]] == [["tender"], ["award"], ["contract"]]
    assert {release["ocid"] for release in package["releases"]} == {"ocds-vbp000-GY-2024-11"}


def test_parties_are_identified_located_and_reachable(client, demo):
    """The procurement centre is the procuring entity, the buyer and the publisher, by its credit code; every
    party has its identifier and address; agreements carry the date both sides had signed."""
    from accounts.models import Organisation

    package = _package(client, "GY-2024-11")
    centre = Organisation.objects.get(kind=Organisation.Kind.AUTHORITY)
    tender, award, contracts = package["releases"]
    assert package["publisher"] == {"name": centre.name, "scheme": "CN-USCC", "uid": centre.code}
    assert tender["tender"]["procuringEntity"] == {"id": f"CN-USCC-{centre.code}", "name": centre.name}
    assert all(release["buyer"]["id"] == f"CN-USCC-{centre.code}" for release in package["releases"])
    parties = {party["id"]: party for party in contracts["parties"]}
    assert set(parties[f"CN-USCC-{centre.code}"]["roles"]) == {"procuringEntity", "buyer"}
    assert parties[f"CN-USCC-{centre.code}"]["contactPoint"]["email"] == centre.contact_email
    assert all(party["identifier"]["id"] and party["address"]["countryName"] == "中国" for party in parties.values())
    first = Contract.objects.filter(round=demo["GY-2024-11"]).order_by("pk").first()
    row = next(r for r in contracts["contracts"] if r["id"] == f"contract-{first.pk}")
    assert row["dateSigned"] == ocds._date(max(first.hospital_confirmed_at, first.supplier_confirmed_at))
    assert row["items"][0]["classification"]["id"] == first.product.national_drug_code
    # The story is told in order: bids within the tender period, the award after it, agreements after the award.
    from procurement.io.ocds_review import consistency_problems

    assert consistency_problems(package) == []
    end = tender["tender"]["tenderPeriod"]["endDate"]
    assert all(bid["date"] <= end for bid in tender["bids"]["details"])
    assert award["date"] >= end and all(row["period"]["startDate"] > award["date"] for row in contracts["contracts"])


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
    assert "bid opening of GY-2025-09" in heads and "bid opening of GY-2024-11" in heads and "GY-2026-01" not in heads


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
        (("releases", 0, "tender", "status"), "finished"),
        (("releases", 0, "bids", "statistics", 0, "measure"), "disqualifiedBids"),
        (("releases", 0, "bids", "details", 0, "date"), "2099-01-01T00:00:00+08:00"),
        (("releases", 0, "tender", "lots", 0, "tendersFromEU"), 3),
    ],
)
def test_the_review_refuses_what_ocds_does_not_allow(client, demo, path, value):
    package = copy.deepcopy(_package(client, "GY-2024-11"))
    target = package
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    assert ocds.validation_errors(package), path


def test_ocds_review_command_reports_and_fails_on_findings(client, demo, tmp_path):
    import io

    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("ocds_review", stdout=out)
    assert out.getvalue().startswith("GY-2024-11: 0 errors, 0 warnings, 3 notes")
    package = _package(client, "GY-2024-11")
    package["releases"][0]["tender"]["status"] = "finished"
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(CommandError) as failed:
        call_command("ocds_review", "--file", str(path), stdout=io.StringIO())
    assert failed.value.returncode == 1
    with pytest.raises(CommandError) as unknown:
        call_command("ocds_review", "GY-1999-01", stdout=io.StringIO())
    assert unknown.value.returncode == 2


def test_a_procuring_entity_setting_that_names_no_authority_falls_back_to_the_centre(client, demo, settings):
    from accounts.models import Organisation

    settings.OCDS_PROCURING_ENTITY_CODE = "NO-SUCH-CODE"
    package = _package(client, "GY-2024-11")
    centre = Organisation.objects.get(kind=Organisation.Kind.AUTHORITY)
    assert package["publisher"]["uid"] == centre.code
