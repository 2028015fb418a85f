"""The award preview exchange format (shared/domain/award-preview-format.md): parse, compute, render.

Pure: reads a decoded JSON document, runs the same engines as the web flow (comparable price, award rules, agreed
volume, allocation) and returns the result document. Bad input raises ``PreviewInputError`` naming the field.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from ..engines.award_rules import BidInput
from ..engines.comparable import (
    Coefficients,
    IncomparableStrength,
    Presentation,
    SpecCeiling,
    comparable_price,
    same_strength,
    spec_ceiling_comparable,
)
from ..engines.group import compute_group_award
from ..engines.rule_sets import DEFAULT_RULE_SETS, ParameterError, check_parameters


class PreviewInputError(ValueError):
    """``path: problem``, e.g. ``groups[3].bids[1].price: not a decimal``."""


def _field(container: dict, key: str, path: str, *, required: bool = True, default=None):
    if not isinstance(container, dict):
        raise PreviewInputError(f"{path}: not an object")
    if key not in container:
        if required:
            raise PreviewInputError(f"{path}.{key}: missing" if path else f"{key}: missing")
        return default
    return container[key]


def _decimal(value, path: str, *, positive: bool = False) -> Decimal:
    # A JSON number arrives as a Decimal (the command parses floats exactly), a string or an int.
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise PreviewInputError(f"{path}: not a decimal")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise PreviewInputError(f"{path}: not a decimal") from None
    if not number.is_finite() or (positive and number <= 0):
        raise PreviewInputError(f"{path}: {'must be greater than zero' if positive else 'not a decimal'}")
    return number


def _integer(value, path: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise PreviewInputError(f"{path}: not a whole number ≥ {minimum}")
    return value


def _boolean(value, path: str) -> bool:
    if not isinstance(value, bool):
        raise PreviewInputError(f"{path}: true or false is expected")
    return value


def _strings(value, path: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PreviewInputError(f"{path}: not a list of strings")
    return value


def _datetime(value, path: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise PreviewInputError(f"{path}: not an ISO 8601 date-time") from None


def _text(value) -> str | None:
    return None if value is None else str(value)


def rule_set_defaults(code) -> tuple[str, dict, str]:
    """(version, parameters, engine family) of the newest library rule set with this code."""
    found = [rule_set for rule_set in DEFAULT_RULE_SETS if rule_set["code"] == code]
    if not found:
        known = ", ".join(rule_set["code"] for rule_set in DEFAULT_RULE_SETS)
        raise PreviewInputError(f"rule_set: unknown rule set {code!r} (one of {known})")
    rule_set = max(found, key=lambda item: item["version"])
    return str(rule_set["version"]), dict(rule_set["parameters"]), rule_set["family"]


def preview(document: dict) -> dict:
    if not isinstance(document, dict):
        raise PreviewInputError("(document): not a JSON object")
    code = _field(document, "rule_set", "", required=False, default="nvbp-1.8x")
    version, parameters, family = rule_set_defaults(code)
    overrides = _field(document, "parameters", "", required=False, default={}) or {}
    try:
        check_parameters(code, parameters, overrides)
    except ParameterError as error:
        raise PreviewInputError(str(error)) from None
    parameters.update(overrides)
    coefficients = Coefficients(
        k_strength=_decimal(parameters.get("K_strength", "1.7"), "parameters.K_strength", positive=True),
        k_pack=_decimal(parameters.get("K_pack", "2"), "parameters.K_pack", positive=True),
    )
    groups = _field(document, "groups", "")
    if not isinstance(groups, list):
        raise PreviewInputError("groups: not a list")
    results = [
        _group(group, f"groups[{index}]", family, parameters, coefficients) for index, group in enumerate(groups)
    ]
    return {"rule_set": code, "rule_set_version": version, "groups": results}


def _spec_ceilings(group: dict, path: str, reference: Presentation) -> list[SpecCeiling]:
    """The optional per-specification ceilings: ``[{"strength": "4", "strength_unit": "mg", "ceiling": "1.224"}]``,
    each per smallest unit of that strength, overriding the converted representative ceiling for its bids."""
    ceilings = []
    for index, item in enumerate(_list(group, "ceilings", path, required=False)):
        item_path = f"{path}.ceilings[{index}]"
        spec = SpecCeiling(
            _decimal(_field(item, "strength", item_path), f"{item_path}.strength", positive=True),
            str(item.get("strength_unit", reference.strength_unit)),
            _decimal(_field(item, "ceiling", item_path), f"{item_path}.ceiling", positive=True),
        )
        own = Presentation(spec.strength, spec.strength_unit, reference.pack)
        try:
            comparable_price(spec.ceiling, own, reference)
        except IncomparableStrength as error:
            raise PreviewInputError(f"{item_path}.strength_unit: {error}") from None
        if any(same_strength(Presentation(o.strength, o.strength_unit, 1), own) for o in ceilings):
            raise PreviewInputError(f"{item_path}.strength: a second ceiling for the same strength")
        ceilings.append(spec)
    return ceilings


def _group(group: dict, path: str, code: str, parameters: dict, coefficients: Coefficients) -> dict:
    group_id = str(_field(group, "id", path))
    ceiling = _decimal(_field(group, "ceiling", path), f"{path}.ceiling", positive=True)
    reference_data = _field(group, "reference", path)
    reference = Presentation(
        _decimal(_field(reference_data, "strength", f"{path}.reference"), f"{path}.reference.strength", positive=True),
        str(_field(reference_data, "strength_unit", f"{path}.reference")),
        _integer(_field(reference_data, "pack", f"{path}.reference"), f"{path}.reference.pack", minimum=1),
    )
    regions = _strings(_field(group, "regions", path, required=False, default=[]), f"{path}.regions")
    spec_ceilings = _spec_ceilings(group, path, reference)
    bids, suppliers = [], set()
    for index, bid in enumerate(_list(group, "bids", path)):
        bid_path = f"{path}.bids[{index}]"
        supplier = str(_field(bid, "supplier", bid_path))
        if supplier in suppliers:
            raise PreviewInputError(f"{bid_path}.supplier: a second bid of {supplier}")
        suppliers.add(supplier)
        price = _field(bid, "price", bid_path)
        comparable = own_ceiling = None
        if price is not None:
            presentation = Presentation(
                _decimal(_field(bid, "strength", bid_path), f"{bid_path}.strength", positive=True),
                str(bid.get("strength_unit", reference.strength_unit)),
                _integer(_field(bid, "pack", bid_path), f"{bid_path}.pack", minimum=1),
            )
            try:
                comparable = comparable_price(
                    _decimal(price, f"{bid_path}.price", positive=True), presentation, reference, coefficients
                )
            except IncomparableStrength as error:
                raise PreviewInputError(f"{bid_path}.strength_unit: {error}") from None
            own_ceiling = spec_ceiling_comparable(spec_ceilings, presentation, reference, coefficients)
        submitted = bid.get("submitted_at")
        capacity = bid.get("capacity")
        bid_regions = bid.get("regions")
        bids.append(
            (
                BidInput(
                    supplier,
                    comparable,
                    _datetime(submitted, f"{bid_path}.submitted_at") if submitted is not None else None,
                    _integer(capacity, f"{bid_path}.capacity") if capacity is not None else None,
                    _boolean(bid.get("eligible", True), f"{bid_path}.eligible"),
                    own_ceiling,
                ),
                tuple(_strings(bid_regions, f"{bid_path}.regions")) if bid_regions is not None else None,
            )
        )
    demand = []
    for index, line in enumerate(_list(group, "demand", path, required=False)):
        line_path = f"{path}.demand[{index}]"
        demand.append(
            (
                str(_field(line, "hospital", line_path)),
                str(_field(line, "region", line_path)),
                _integer(_field(line, "quantity", line_path), f"{line_path}.quantity"),
                _text(line.get("brand")),
                _text(line.get("choice")),
            )
        )
    hospitals = [line[0] for line in demand]
    if len(set(hospitals)) != len(hospitals):
        raise PreviewInputError(f"{path}.demand: a hospital appears twice")
    return compute_group(
        group_id,
        ceiling,
        code,
        parameters,
        bids,
        demand,
        regions,
        dosage_class=group.get("dosage_class"),
        oral_solid=_boolean(group.get("oral_solid", False), f"{path}.oral_solid"),
    )


def compute_group(group_id: str, *args, **kwargs) -> dict:
    """One group in the exchange format's output shape (same arguments as ``engines.group.compute_group_award``)."""
    computation = compute_group_award(*args, **kwargs)
    award, allocation = computation.award, computation.allocation
    result = {
        "id": group_id,
        "bidders": award.bidders,
        "valid_bidders": award.valid_bidders,
        "max_winners": award.max_winners,
        "lowest_comparable": _text(award.lowest_comparable),
        "bids": [_outcome(outcome) for outcome in award.outcomes],
        "ratio": str(computation.ratio),
        "agreed_total": computation.agreed_total,
        "regions": allocation.regions if allocation else {},
        "allocations": [
            {"hospital": line.hospital, "supplier": line.supplier, "quantity": line.quantity, "reason": line.reason}
            for line in (allocation.lines if allocation else [])
        ],
    }
    if award.anchor is not None:
        result["anchor"] = str(award.anchor)
    if allocation and allocation.unallocated:
        result["unallocated"] = [
            {"hospital": item.hospital, "quantity": item.quantity} for item in allocation.unallocated
        ]
    return result


def _list(container: dict, key: str, path: str, *, required: bool = True) -> list:
    value = _field(container, key, path, required=required, default=[])
    if not isinstance(value, list):
        raise PreviewInputError(f"{path}.{key}: not a list")
    return value


def _outcome(outcome) -> dict:
    row = {
        "supplier": outcome.supplier,
        "comparable": _text(outcome.comparable),
        "rank": outcome.rank,
        "won": outcome.won,
        "reason": outcome.reason,
    }
    if outcome.revival_price is not None:
        row["revival_price"] = str(outcome.revival_price)
    if outcome.justification_required:
        row["justification_required"] = True
    if outcome.revived:
        row["revived"] = True
    return row
