"""The official OCDS review of a release package, offline: libcoveocds (the library behind the OCDS Data Review
Tool) with the OCDS 1.1.5 standard and the versions of the bids and lots extensions the packages declare, all read
from the copies under ``procurement/io/schemas/ocds/`` (vendored unchanged from their repositories at the tags
``1__1__5`` and ``v1.1.5``). Nothing is fetched: any other request fails.

``review(package)`` returns what the tool reports, sorted into
- ``errors``: schema validation errors;
- ``warnings``: additional fields, values outside closed codelists, values outside open codelists other than the
  documented extensions below, deprecated fields, the tool's additional checks and extensions it could not apply;
- ``notes``: the documented open-codelist extensions (``OPEN_CODELIST_EXTENSIONS``);
and the platform's own consistency checks (one contracting process per package, unique release ids, dates in the
order the process has them). docs/trust.md gives the figures.
"""

import io
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from requests.adapters import HTTPAdapter
from urllib3.response import HTTPResponse

ROOT = Path(__file__).resolve().parent / "schemas" / "ocds"
STANDARD_TAG = "1__1__5"
EXTENSION_VERSION = "v1.1.5"
EXTENSIONS = ("ocds_bid_extension", "ocds_lots_extension")
RAW = "https://raw.githubusercontent.com/open-contracting-extensions/{name}/{version}/"
ARCHIVE = "https://github.com/open-contracting-extensions/{name}/archive/{version}.zip"
# Values the platform adds to open codelists, on purpose: items are classified by the national medical insurance
# drug code (国家医保药品分类与代代码), which the itemClassificationScheme codelist does not list (open codelists may
# be extended; docs/trust.md).
OPEN_CODELIST_EXTENSIONS = {("itemClassificationScheme.csv", "CN-NHSA")}


def _zip(directory: Path, top: str) -> bytes:
    """A ZIP archive of a vendored directory laid out as GitHub serves the repository's archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{top}/", "")
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(directory)}")
    return buffer.getvalue()


class VendoredFiles(HTTPAdapter):
    """Serves the extensions' files and archives from the vendored copies; anything else is a 404."""

    def send(self, request, **kwargs):
        status, body = 404, b""
        for name in EXTENSIONS:
            directory = ROOT / "ext" / f"{name}-{EXTENSION_VERSION}"
            raw = RAW.format(name=name, version=EXTENSION_VERSION)
            if request.url == ARCHIVE.format(name=name, version=EXTENSION_VERSION):
                status, body = 200, _zip(directory, f"{name}-{EXTENSION_VERSION.lstrip('v')}")
            elif request.url.startswith(raw):
                path = (directory / request.url[len(raw) :]).resolve()
                if path.is_file() and directory.resolve() in path.parents:
                    status, body = 200, path.read_bytes()
        raw_response = HTTPResponse(
            body=io.BytesIO(body),
            headers={"Content-Type": "application/octet-stream"},
            status=status,
            preload_content=False,
            request_url=request.url,
            decode_content=False,
        )
        return self.build_response(request, raw_response)


def _offline():
    from ocdsextensionregistry import util

    adapter = VendoredFiles()
    for prefix in ("https://raw.githubusercontent.com/", "https://github.com/", "https://codeload.github.com/"):
        util.session.mount(prefix, adapter)


def _config():
    from libcoveocds.config import LibCoveOCDSConfig

    standard = _zip(ROOT / "standard", f"standard-{STANDARD_TAG}")
    return LibCoveOCDSConfig({"standard_zip": standard, "context": "api", "schema_version": "1.1"})


def review(package: dict) -> dict:
    """libcoveocds's findings on the package, sorted into errors, warnings and notes (see the module docstring)."""
    from libcoveocds.api import ocds_json_output

    _offline()
    with tempfile.TemporaryDirectory() as directory:
        result = ocds_json_output(directory, json_data=package, lib_cove_ocds_config=_config(), schema_version="1.1")
    errors = [
        f"{error.get('path') or error.get('field')}: {error.get('description')} ({error.get('value')!r})"
        for error in result.get("validation_errors") or []
    ]
    warnings, notes = [], []
    for field in result.get("additional_fields") or []:
        warnings.append(f"additional field {field['path']}/{field['field']} ({field['usage_count']}×)")
    for name in ("additional_closed_codelist_values", "additional_open_codelist_values"):
        for path, details in (result.get(name) or {}).items():
            for value in details.get("values", []):
                finding = f"{path}: {value!r} is not in {details.get('codelist')}"
                documented = (details.get("codelist"), value) in OPEN_CODELIST_EXTENSIONS
                if name.endswith("open_codelist_values") and documented:
                    notes.append(finding)
                else:
                    warnings.append(finding)
    for deprecated in result.get("deprecated_fields") or []:
        warnings.append(f"deprecated field: {deprecated}")
    for check, findings in (result.get("additional_checks") or {}).items():
        warnings.append(f"additional check {check}: {findings}")
    extensions = result.get("extensions") or {}
    for url, problem in (extensions.get("invalid_extension") or {}).items():
        warnings.append(f"extension {url}: {problem}")
    if not extensions.get("is_extended_schema"):
        warnings.append("the declared extensions were not applied")
    errors += consistency_problems(package)
    return {"errors": errors, "warnings": warnings, "notes": notes}


def _instant(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def consistency_problems(package: dict) -> list[str]:
    """What a schema cannot see: one contracting process per package, unique release ids, and dates in the order
    of the process (bids within the tender period, awards after it, agreements running and signed after the
    award)."""
    releases = package.get("releases", [])
    problems = []
    if len({release.get("ocid") for release in releases}) > 1:
        problems.append("releases: one package holds one contracting process (one ocid)")
    ids = [release.get("id") for release in releases]
    if len(ids) != len(set(ids)):
        problems.append("releases: release ids must be unique")
    period_end = award_date = None
    for release in releases:
        end = _instant(((release.get("tender") or {}).get("tenderPeriod") or {}).get("endDate"))
        period_end = end or period_end
        for bid in (release.get("bids") or {}).get("details", []):
            if end and _instant(bid.get("date")) and _instant(bid["date"]) > end:
                problems.append(f"bid {bid.get('id')}: dated after the tender period ended")
        for award in release.get("awards", []):
            award_date = _instant(award.get("date")) or award_date
            if period_end and award_date and award_date < period_end:
                problems.append(f"award {award.get('id')}: dated before the tender period ended")
        for contract in release.get("contracts", []):
            start = _instant((contract.get("period") or {}).get("startDate"))
            signed = _instant(contract.get("dateSigned"))
            if award_date and start and start < award_date:
                problems.append(f"contract {contract.get('id')}: runs from before the award")
            if award_date and signed and signed < award_date:
                problems.append(f"contract {contract.get('id')}: signed before the award")
    return problems
