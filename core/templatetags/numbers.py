"""How pages write numbers and codes, as people read them: amounts in yuan to the fen with thousands separators and 元,
unit prices to 0.0001 yuan, counts grouped by thousands. Installed as a template builtin (settings.TEMPLATES), so
every template can write ``{{ run.total_cost|yuan }}``. A value that is not a number is shown as it is; none as —."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

from core.money import round_money, round_unit_price

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def yuan(value) -> str:
    """148974 → "148,974.00 元" (half up to the fen)."""
    number = _decimal(value)
    if number is None:
        return "—" if value in (None, "") else str(value)
    return _("%(amount)s yuan") % {"amount": f"{round_money(number):,.2f}"}


@register.filter
def unit_price(value) -> str:
    """A price per smallest or comparable unit: 1.2 → "1.2000", 12345.6 → "12,345.6000"."""
    number = _decimal(value)
    if number is None:
        return "—" if value in (None, "") else str(value)
    return f"{round_unit_price(number):,.4f}"


@register.filter
def count(value) -> str:
    """A whole number of units or rows: 1234567 → "1,234,567"."""
    number = _decimal(value)
    if number is None or number != number.to_integral_value():
        return "—" if value in (None, "") else str(value)
    return f"{int(number):,}"


@register.filter
def name_in(code, names) -> str:
    """A code read as its name: ``{{ region|name_in:region_names }}`` (the code itself when it has none)."""
    return str(names.get(code, code)) if names else str(code)


@register.filter
def header_in(key, columns) -> str:
    """An upload error's column read as its header: ``{{ error.column|header_in:columns }}`` ("单价" rather than
    ``unit_price``; a column the file does not define stays as written)."""
    for column in columns or ():
        if column.key == key:
            return str(column.header)
    return str(key)


@register.filter
def names_in(codes, names) -> str:
    """Codes read as their names, in order: ``{{ outcome.regions|names_in:region_names }}`` → "长沙市、株洲市"."""
    return "、".join(name_in(code, names) for code in codes or ())
