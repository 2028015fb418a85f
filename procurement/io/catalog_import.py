"""The columns of the product catalog spreadsheet (药品目录导入模板)."""

from django.utils.translation import gettext_lazy as _

from core.spreadsheets import (
    Column,
    Validation,
    parse_choice,
    parse_positive_decimal,
    parse_positive_int,
    parse_text,
)

from ..models import QualityTier, SmallestUnit, StrengthUnit

PRODUCT_COLUMNS = [
    Column("national_drug_code", _("National drug code"), parse_text, unique=True),
    Column("generic_name", _("Generic name"), parse_text),
    Column("dosage_form", _("Dosage form"), parse_text),
    Column("strength_amount", _("Strength"), parse_positive_decimal, validation=Validation("decimal", "0.0001")),
    Column(
        "strength_unit",
        _("Strength unit"),
        parse_choice(StrengthUnit),
        validation=Validation("list", choices=StrengthUnit),
    ),
    Column("pack_size", _("Pack size"), parse_positive_int, validation=Validation("whole", "1")),
    Column(
        "smallest_unit",
        _("Smallest unit"),
        parse_choice(SmallestUnit),
        validation=Validation("list", choices=SmallestUnit),
    ),
    Column(
        "quality_tier",
        _("Quality tier"),
        parse_choice(QualityTier),
        validation=Validation("list", choices=QualityTier),
    ),
    Column("holder_code", _("Holder's unified social credit code"), parse_text),
]

TEMPLATE_EXAMPLE_ROWS = [
    ["XA01AAA0000010100001", "阿托伐他汀钙片", "片剂", "10", "mg", 28, "tablet", "consistency_passed", "<USCC>"],
]


def column_header(key: str) -> str:
    return next(str(column.header) for column in PRODUCT_COLUMNS if column.key == key)
