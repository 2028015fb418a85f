"""Purchase reporting (采购量报送): hospitals' order lines by form, spreadsheet or the bulk API.

One report is validated row by row and accepted whole or rejected whole with line-numbered errors; its
idempotency key makes a retry return the first answer (the same key with other content: 422). Lines are matched to
the hospital's agreements; a non-winning product of a contracted group is substitution (替代使用); anything else is
outside VBP. A product whose purchasing a credit measure suspends is refused. Accepted lines are written by COPY and
the rollups (agreement, round × group × city × supplier, round × hospital, hospital × month × kind) move in the same
transaction.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access, audit
from accounts.models import Organisation
from core.bulk import bulk_insert
from core.money import MAX_UNIT_PRICE, has_unit_price_places, round_money
from core.spreadsheets import (
    CellError,
    Column,
    RowError,
    Validation,
    parse_positive_decimal,
    parse_positive_int,
    parse_sheet,
    parse_text,
    stored_errors,
)

from .. import hooks
from ..exceptions import IdempotencyKeyReused, ProcurementError
from ..models import Contract, Product, PurchaseLine, PurchaseUpload
from ..models.contracts import CONTRACT_WORKFLOW

MAX_LINES = 200_000


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise CellError(_("Not a date (YYYY-MM-DD): “%(value)s”.") % {"value": value}) from None


# The template lists the hospital's agreements in force (product, supplier, agreed price): a row left without an
# order number, date or quantity is an agreement not bought from, and is skipped.
PURCHASE_COLUMNS = [
    Column("order_number", gettext_lazy("Order number"), parse_text),
    Column("ordered_on", gettext_lazy("Order date"), parse_date, validation=Validation("date")),
    Column("product", gettext_lazy("National drug code"), parse_text, prefilled=True),
    Column("product_name", gettext_lazy("Product"), parse_text, required=False, prefilled=True),
    Column("supplier", gettext_lazy("Supplier code"), parse_text, required=False, prefilled=True),
    Column("supplier_name", gettext_lazy("Supplier"), parse_text, required=False, prefilled=True),
    Column(
        "quantity", gettext_lazy("Quantity (smallest units)"), parse_positive_int, validation=Validation("whole", "1")
    ),
    Column(
        "unit_price",
        gettext_lazy("Price per smallest unit"),
        parse_positive_decimal,
        validation=Validation("decimal", "0.0001"),
        prefilled=True,
    ),
]


# Columns the template fills in for the reader only; the report is matched on codes, and the API sends none of them.
READING_AIDS = {"product_name", "supplier_name"}


def purchase_template_rows(hospital: Organisation) -> list[list]:
    """The template a hospital downloads: one row per agreement in force, with the product, the supplier and the
    agreed price filled in; the hospital adds order number, date and quantity to the rows it bought."""
    agreements = (
        Contract.objects.filter(hospital=hospital, status__in=CONTRACT_WORKFLOW.steps["end"].sources)
        .select_related("product", "supplier")
        .order_by("product__generic_name", "product__national_drug_code", "supplier__name")
    )
    rows = []
    for c in agreements:
        product, supplier = c.product, c.supplier
        rows.append(
            [None, None, product.national_drug_code, str(product), supplier.code, supplier.name, None, c.unit_price]
        )
    return rows


@dataclass(slots=True)
class OrderLine:
    """An accepted order line before it is stored: the columns of ``PurchaseLine`` without the cost of a model
    instance (a report has up to 200 000 lines; ``bulk_insert`` writes plain objects)."""

    hospital_id: int
    supplier_id: int
    product_id: int
    contract_id: int | None
    group_id: int | None
    order_number: str
    ordered_on: date
    quantity: int
    unit_price: Decimal
    amount: Decimal
    kind: str
    upload_id: int | None = None
    id: int | None = None

    @property
    def pk(self) -> int | None:
        return self.id

    @pk.setter
    def pk(self, value: int | None) -> None:
        self.id = value


@dataclass
class ReportResult:
    upload: PurchaseUpload | None  # None: refused and, as the caller asked, not stored
    replayed: bool = False
    errors: list[RowError] = field(default_factory=list)


def _hash(rows) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()


def rows_from_records(records: list[dict]) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """JSON records (the API) parsed like spreadsheet cells; line numbers count from 1."""
    rows, errors = [], []
    for line, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            errors.append(RowError(line, "", _("Not an object.")))
            continue
        values, ok = {}, True
        for column in PURCHASE_COLUMNS:
            if column.key in READING_AIDS:
                continue
            raw = record.get(column.key)
            raw = "" if raw is None else str(raw)
            if not raw.strip():
                if column.required:
                    errors.append(RowError(line, column.key, _("This cell is empty.")))
                    ok = False
                else:
                    values[column.key] = None
                continue
            try:
                values[column.key] = column.parse(raw)
            except CellError as error:
                errors.append(RowError(line, column.key, str(error)))
                ok = False
        if ok:
            rows.append((line, values))
    return rows, errors


def rows_from_file(filename: str, content: bytes) -> tuple[list[tuple[int, dict]], list[RowError]]:
    parsed = parse_sheet(filename, content, PURCHASE_COLUMNS)
    return parsed.rows, parsed.errors


def _lookups(hospital: Organisation, rows):
    codes = {values["product"] for _line, values in rows}
    products = {
        p.national_drug_code: p for p in Product.objects.filter(national_drug_code__in=codes).select_related("holder")
    }
    contracts = defaultdict(list)
    # Oldest cycle first, so that a generic name agreed in several rounds maps to the newest round's group (where a
    # substitution counts).
    for contract in (
        Contract.objects.filter(hospital=hospital, status__in=[Contract.Status.PENDING, Contract.Status.CONFIRMED])
        .select_related("group")
        .order_by("cycle_start", "pk")
    ):
        contracts[contract.product_id].append(contract)
    groups = {}
    for contract_list in contracts.values():
        for contract in contract_list:
            groups[(contract.group.generic_name, contract.group.dosage_form)] = contract.group
    return products, contracts, groups


# The stored columns' ranges: a price per smallest unit below 10^10 yuan, a line amount below 10^16 yuan.
MAX_LINE_AMOUNT = Decimal(10) ** 16


def _validate(hospital: Organisation, rows) -> tuple[list[OrderLine], list[RowError], dict, dict]:
    from credit.selectors.eligibility import restrictions

    products, contracts, groups = _lookups(hospital, rows)
    today = timezone.localdate()
    errors, lines, seen = [], [], {}
    holders = {p.holder_id for p in products.values()}
    barred_on: dict[date, dict] = {}
    listings = hooks.listed_prices(product.pk for product in products.values())
    existing = _reported_already(hospital, {values["order_number"] for _l, values in rows})
    for line, values in rows:
        product = products.get(values["product"])
        if product is None:
            errors.append(RowError(line, "product", _("No product with this national drug code.")))
            continue
        if values.get("supplier") and values["supplier"] != product.holder.code:
            errors.append(
                RowError(line, "supplier", _("The product's holder is %(code)s.") % {"code": product.holder.code})
            )
            continue
        ordered_on = values["ordered_on"]
        if ordered_on > today:
            errors.append(RowError(line, "ordered_on", _("The order date is in the future.")))
            continue
        price = values["unit_price"]
        if not has_unit_price_places(price):
            errors.append(RowError(line, "unit_price", _("A price has at most 4 decimal places.")))
            continue
        if price >= MAX_UNIT_PRICE or price * values["quantity"] >= MAX_LINE_AMOUNT:
            errors.append(RowError(line, "quantity", _("The line's amount is too large to be a real purchase.")))
            continue
        key = (values["order_number"], product.national_drug_code)
        if key in existing:
            errors.append(RowError(line, "order_number", _("This order line was already reported.")))
            continue
        if key in seen:
            errors.append(RowError(line, "order_number", _("Same order line as line %(line)s.") % {"line": seen[key]}))
            continue
        seen[key] = line
        if ordered_on not in barred_on:
            barred_on[ordered_on] = restrictions("purchase", holders, ordered_on)
        restriction = barred_on[ordered_on].get(product.holder_id)
        if restriction is not None and restriction.covers(product.pk):
            errors.append(
                RowError(
                    line,
                    "product",
                    _("Purchasing of this product is suspended by a credit measure (records %(records)s).")
                    % {"records": ", ".join(sorted({r for m in restriction.measures for r in m.records}))},
                )
            )
            continue
        # Overlapping agreements for one product (a new round's cycle starting before the old one ended): the
        # newest agreement whose cycle covers the order date takes the line.
        contract = max(
            (c for c in contracts.get(product.pk, []) if c.cycle_start <= ordered_on <= c.cycle_end),
            key=lambda c: (c.cycle_start, c.pk),
            default=None,
        )
        group = None
        if contract is not None:
            if price != contract.unit_price:
                errors.append(
                    RowError(
                        line,
                        "unit_price",
                        _("The agreed price of this product is %(price)s per smallest unit.")
                        % {"price": contract.unit_price},
                    )
                )
                continue
            kind, group = PurchaseLine.Kind.CONTRACT, contract.group
        else:
            # Listed prices are what hospitals may buy at: outside an agreement, a listed product is bought at
            # no more than its listing (the city's, else the province-wide one), and not while it is suspended.
            listing = listings.get((product.pk, hospital.region_id)) or listings.get((product.pk, None))
            if listing is not None and listing.suspended:
                errors.append(RowError(line, "product", _("The listing of this product is suspended.")))
                continue
            if listing is not None and price > listing.price:
                errors.append(
                    RowError(
                        line,
                        "unit_price",
                        _("Above the listed price of %(price)s per smallest unit.") % {"price": listing.price},
                    )
                )
                continue
            group = groups.get((product.generic_name, product.dosage_form))
            kind = PurchaseLine.Kind.SUBSTITUTION if group is not None else PurchaseLine.Kind.OUTSIDE
        lines.append(
            OrderLine(
                hospital.pk,
                product.holder_id,
                product.pk,
                contract.pk if contract else None,
                group.pk if group else None,
                values["order_number"],
                ordered_on,
                values["quantity"],
                price,
                round_money(price * values["quantity"]),
                kind,
            )
        )
    group_rounds = {group.pk: group.round_id for group in groups.values()}
    return lines, errors, {c.pk: c for cs in contracts.values() for c in cs}, group_rounds


def _reported_already(hospital: Organisation, order_numbers: set[str]) -> set[tuple[str, str]]:
    """(order number, national drug code) of this hospital's stored lines among these order numbers."""
    if connection.vendor == "postgresql":  # one array parameter instead of thousands of IN placeholders
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT l.order_number, p.national_drug_code FROM {PurchaseLine._meta.db_table} l"
                f" JOIN {Product._meta.db_table} p ON p.id = l.product_id"
                " WHERE l.hospital_id = %s AND l.order_number = ANY(%s)",
                [hospital.pk, list(order_numbers)],
            )
            return set(cursor.fetchall())
    return set(
        PurchaseLine.objects.filter(hospital=hospital, order_number__in=order_numbers).values_list(
            "order_number", "product__national_drug_code"
        )
    )


def purchase_report(
    *, actor, hospital: Organisation, rows, errors=(), source: str, idempotency_key: str, keep_refused: bool = True
) -> ReportResult:
    """Validate and store one report of order lines (see the module docstring). A refused report is kept, with
    its errors, for the sender to read (files and the API); with ``keep_refused=False`` (the browser's one-line
    form, which shows the errors beside its fields) nothing is stored and the errors come back in the result."""
    if not (access.is_hospital_user(actor) and actor.organisation_id == hospital.pk):
        raise ProcurementError(_("A hospital reports its own purchases."), code="not_own_hospital")
    if not idempotency_key:
        raise ProcurementError(_("A report needs an idempotency key."), code="idempotency_key")
    request_hash = _hash([[line, values] for line, values in rows] + [e.as_dict() for e in errors])
    existing = PurchaseUpload.objects.filter(hospital=hospital, idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.request_hash != request_hash:
            raise IdempotencyKeyReused(
                _("This idempotency key was already used for a different request."), code="idempotency_key_reused"
            )
        return ReportResult(existing, replayed=True)
    errors = list(errors)
    if len(rows) + len(errors) > MAX_LINES:
        errors = [RowError(0, "", _("At most %(count)s lines per report.") % {"count": MAX_LINES})]
        rows = []
    if not rows and not errors:
        errors.append(RowError(1, "", _("The report has no lines.")))
    lines, line_errors, contracts, group_rounds = _validate(hospital, rows) if rows else ([], [], {}, {})
    errors += line_errors
    errors.sort(key=lambda error: (error.line, error.column))
    if errors and not keep_refused:
        return ReportResult(None, errors=errors)
    try:
        with transaction.atomic():
            upload = PurchaseUpload.objects.create(
                hospital=hospital,
                idempotency_key=idempotency_key,
                request_hash=request_hash,
                source=source,
                status=PurchaseUpload.Status.REJECTED if errors else PurchaseUpload.Status.ACCEPTED,
                errors=stored_errors(errors),
                lines=0 if errors else len(lines),
                substitution_lines=0 if errors else sum(line.kind == PurchaseLine.Kind.SUBSTITUTION for line in lines),
                created_by=actor,
            )
            if not errors:
                for line in lines:
                    line.upload_id = upload.pk
                bulk_insert(PurchaseLine, lines)
                add_to_rollups(lines, contracts, group_rounds, hospital)
            audit.record(
                actor=actor,
                action="purchase.report",
                instance=upload,
                after={"status": upload.status, "lines": upload.lines, "errors": len(errors), "source": source},
            )
    except IntegrityError:  # the same key at the same moment, or an order line reported concurrently
        existing = PurchaseUpload.objects.filter(hospital=hospital, idempotency_key=idempotency_key).first()
        if existing is not None and existing.request_hash == request_hash:
            return ReportResult(existing, replayed=True)
        raise ProcurementError(
            _("Some of these order lines were reported at the same moment; send the report again."), code="conflict"
        ) from None
    return ReportResult(upload)


def add_to_rollups(
    lines: list[OrderLine], contracts: dict[int, Contract], group_rounds: dict, hospital, *, months: bool = True
) -> None:
    """Set-based: one UPDATE of the agreements, one upsert of each rollup table. Quantities may be negative (a
    return taken back). ``months`` false leaves the monthly purchase-report figures alone (platform receipts are not
    reported purchases)."""
    per_contract = defaultdict(lambda: [0, Decimal(0), None])
    per_region = defaultdict(lambda: [0, Decimal(0), 0])
    per_hospital = defaultdict(lambda: [0, Decimal(0), 0, None])
    per_month = defaultdict(lambda: [0, Decimal(0)])
    for line in lines:
        if months:
            month = per_month[(line.ordered_on.replace(day=1), line.kind)]
            month[0] += line.quantity
            month[1] += line.amount
        if line.kind == PurchaseLine.Kind.OUTSIDE:
            continue
        contract = contracts.get(line.contract_id)
        round_id = contract.round_id if contract else group_rounds[line.group_id]
        region_key = (round_id, line.group_id, hospital.region_id, line.supplier_id)
        hospital_row = per_hospital[round_id]
        if line.kind == PurchaseLine.Kind.CONTRACT:
            row = per_contract[line.contract_id]
            row[0] += line.quantity
            row[1] += line.amount
            row[2] = max(filter(None, [row[2], line.ordered_on]))
            per_region[region_key][0] += line.quantity
            per_region[region_key][1] += line.amount
            hospital_row[0] += line.quantity
            hospital_row[1] += line.amount
        else:
            per_region[region_key][2] += line.quantity
            hospital_row[2] += line.quantity
        hospital_row[3] = max(filter(None, [hospital_row[3], line.ordered_on]))
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    with connection.cursor() as cursor:
        if per_contract and connection.vendor == "postgresql":
            values = ", ".join(["(%s::bigint, %s::bigint, %s::numeric, %s::date)"] * len(per_contract))
            params = [v for pk, (q, a, d) in per_contract.items() for v in (pk, q, a, d)]
            cursor.execute(
                "UPDATE procurement_contract SET purchased_quantity = purchased_quantity + v.q, "
                "purchased_amount = purchased_amount + v.a, "
                "last_purchase_on = COALESCE(GREATEST(last_purchase_on, v.d), v.d) "
                f"FROM (VALUES {values}) AS v(id, q, a, d) WHERE procurement_contract.id = v.id",
                params,
            )
        elif per_contract:  # the embedded database: few agreements per report, one update each
            from django.db.models import F
            from django.db.models.functions import Coalesce, Greatest

            for pk, (q, a, d) in per_contract.items():
                Contract.objects.filter(pk=pk).update(
                    purchased_quantity=F("purchased_quantity") + q,
                    purchased_amount=F("purchased_amount") + a,
                    last_purchase_on=Coalesce(Greatest("last_purchase_on", d), d),
                )
        for (round_id, group_id, region_id, supplier_id), (q, a, s) in per_region.items():
            cursor.execute(
                "INSERT INTO procurement_completionrollup (round_id, group_id, region_id, supplier_id,"
                " agreed_quantity, purchased_quantity, purchased_amount, substitution_quantity, delivered_quantity,"
                " delivered_on_time_quantity) VALUES (%s, %s, %s, %s, 0, %s, %s, %s, 0, 0)"
                " ON CONFLICT (round_id, group_id, region_id, supplier_id) DO UPDATE SET"
                " purchased_quantity = procurement_completionrollup.purchased_quantity + excluded.purchased_quantity,"
                " purchased_amount = procurement_completionrollup.purchased_amount + excluded.purchased_amount,"
                " substitution_quantity = procurement_completionrollup.substitution_quantity"
                " + excluded.substitution_quantity",
                [round_id, group_id, region_id, supplier_id, q, str(a), s],
            )
        for round_id, (q, a, s, d) in per_hospital.items():
            cursor.execute(
                "INSERT INTO procurement_hospitalrollup (round_id, hospital_id, region_id, agreed_quantity,"
                " purchased_quantity, purchased_amount, substitution_quantity, last_report_on)"
                " VALUES (%s, %s, %s, 0, %s, %s, %s, %s)"
                " ON CONFLICT (round_id, hospital_id) DO UPDATE SET"
                " purchased_quantity = procurement_hospitalrollup.purchased_quantity + excluded.purchased_quantity,"
                " purchased_amount = procurement_hospitalrollup.purchased_amount + excluded.purchased_amount,"
                " substitution_quantity = procurement_hospitalrollup.substitution_quantity"
                " + excluded.substitution_quantity,"
                f" last_report_on = COALESCE({greatest}(procurement_hospitalrollup.last_report_on,"
                " excluded.last_report_on), excluded.last_report_on)",
                [round_id, hospital.pk, hospital.region_id, q, str(a), s, d],
            )
        for (month, kind), (q, a) in per_month.items():
            cursor.execute(
                "INSERT INTO procurement_purchasemonthrollup (hospital_id, month, kind, quantity, amount)"
                " VALUES (%s, %s, %s, %s, %s)"
                " ON CONFLICT (hospital_id, month, kind) DO UPDATE SET"
                " quantity = procurement_purchasemonthrollup.quantity + excluded.quantity,"
                " amount = procurement_purchasemonthrollup.amount + excluded.amount",
                [hospital.pk, month, str(kind), q, str(a)],
            )


def parse_decimal_value(value) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ProcurementError(_("Not a number."), code="number") from None
