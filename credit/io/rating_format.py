"""The credit rating exchange format (shared/domain/credit-rating-format.md): parse, rate, render."""

from datetime import date
from decimal import Decimal, InvalidOperation

from ..engines.rating import CATALOG_VERSIONS, ITEMS, Record, rate


class RatingInputError(ValueError):
    """``path: problem``, e.g. ``records[2].confirmed: not a date (YYYY-MM-DD)``."""


def _date(value, path: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RatingInputError(f"{path}: not a date (YYYY-MM-DD)") from None


def _decimal(value, path: str) -> Decimal:
    if value is None:
        return Decimal(0)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RatingInputError(f"{path}: not a decimal")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise RatingInputError(f"{path}: not a decimal") from None
    if not number.is_finite() or number < 0:
        raise RatingInputError(f"{path}: not a decimal ≥ 0")
    return number


def _record(raw, path: str) -> Record:
    if not isinstance(raw, dict):
        raise RatingInputError(f"{path}: not an object")
    for key in ("id", "supplier", "item"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise RatingInputError(f"{path}.{key}: missing")
    if raw["item"] not in ITEMS:
        raise RatingInputError(f"{path}.item: not a catalog item ({', '.join(ITEMS)})")
    facts = raw.get("facts") or {}
    if not isinstance(facts, dict):
        raise RatingInputError(f"{path}.facts: not an object")
    for name in ("cumulative", "abnormal_sales", "delivery_rate"):
        if name in facts:
            _decimal(facts[name], f"{path}.facts.{name}")
    for name in ("penalised_price_months", "abnormal_price_months", "rounds", "interruption_days"):
        if (
            name in facts
            and facts[name] is not None
            and (isinstance(facts[name], bool) or not isinstance(facts[name], int))
        ):
            raise RatingInputError(f"{path}.facts.{name}: not a whole number")
    revoked = raw.get("revoked", False)
    if not isinstance(revoked, bool):
        raise RatingInputError(f"{path}.revoked: not true or false")
    return Record(
        id=raw["id"],
        supplier=raw["supplier"],
        item=raw["item"],
        amount=_decimal(raw.get("amount"), f"{path}.amount"),
        confirmed=_date(raw.get("confirmed"), f"{path}.confirmed"),
        revoked=revoked,
        repaired_on=_date(raw.get("repaired_on"), f"{path}.repaired_on"),
        facts=facts,
    )


def rate_document(document) -> dict:
    if not isinstance(document, dict):
        raise RatingInputError("(document): not a JSON object")
    as_of = _date(document.get("as_of"), "as_of")
    if as_of is None:
        raise RatingInputError("as_of: missing")
    version = str(document.get("catalog_version", "2020"))
    if version not in CATALOG_VERSIONS:
        raise RatingInputError(f"catalog_version: one of {', '.join(CATALOG_VERSIONS)}")
    retention = document.get("retention_years", 3)
    if isinstance(retention, bool) or not isinstance(retention, int) or retention < 0:
        raise RatingInputError("retention_years: not a whole number")
    raw_records = document.get("records", [])
    if not isinstance(raw_records, list):
        raise RatingInputError("records: not a list")
    records = [_record(raw, f"records[{index}]") for index, raw in enumerate(raw_records)]
    ids = [record.id for record in records]
    if len(set(ids)) != len(ids):
        raise RatingInputError("records: an id appears twice")
    suppliers = document.get("suppliers", [])
    ratings = rate(records, as_of, catalog_version=version, retention_years=retention, suppliers=suppliers)
    return {
        "as_of": as_of.isoformat(),
        "suppliers": [
            {
                "supplier": rating.supplier,
                "level": rating.level,
                "score": str(rating.score),
                "counted_records": list(rating.counted_records),
                "expired_records": list(rating.expired_records),
                "revoked_records": list(rating.revoked_records),
                "repaired_records": list(rating.repaired_records),
                "measures": list(rating.measures),
                "explanation": [{"record": record, "rule": rule} for record, rule in rating.explanation],
            }
            for rating in ratings
        ],
    }
