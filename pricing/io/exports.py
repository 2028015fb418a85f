"""The Excel exports of the pricing pages: payment standards and the savings report (formula cells neutralised by
``core.spreadsheets``)."""

from django.utils.translation import gettext as _

from core.spreadsheets import Column, build_workbook


def standards_workbook(standards, today) -> bytes:
    columns = [
        Column(key, header, str)
        for key, header in [
            ("round", _("Round")),
            ("group", _("Group")),
            ("product", _("Product")),
            ("basis", _("Rule")),
            ("winning", _("Winning price (comparable unit)")),
            ("initial", _("First-year standard")),
            ("today", _("Standard today")),
            ("pack", _("Standard per pack")),
            ("from", _("Effective from")),
        ]
    ]
    rows = (
        [
            s.round.code,
            s.group.code,
            s.product.national_drug_code,
            s.basis_label,
            s.winning_price,
            s.initial_standard,
            s.standard_on(today),
            s.per_pack,
            s.effective_from,
        ]
        for s in standards
    )
    return build_workbook(columns, rows, _("Payment standards"))


def savings_workbook(reports) -> bytes:
    columns = [
        Column(key, header, str)
        for key, header in [
            ("round", _("Round")), ("group", _("Group")), ("agreed", _("Agreed")), ("purchased", _("Purchased")),
            ("saved_agreed", _("Saved at agreed volumes")), ("saved_purchases", _("Saved at actual purchases")),
        ]
    ]  # fmt: skip
    rows = (
        [r["round"].code, g["group"].code, g["agreed"], g["purchased"], g["saved_agreed"], g["saved_purchased"]]
        for r in reports
        for g in r["groups"]
    )
    return build_workbook(columns, rows, _("Savings report"))
