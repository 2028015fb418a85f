"""Exported workbooks as an officer opens them (issue 18): the header bold and frozen, columns wide enough, numbers
and dates as Excel's own types, every text cell that looks like a formula neutralised."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from core.spreadsheets import Column, build_workbook


def _sheet(content):
    return load_workbook(io.BytesIO(content)).active


def test_the_header_is_bold_frozen_and_readable():
    columns = [Column("a", "Hospital", str), Column("b", "Annual agreed amount", str)]
    sheet = _sheet(build_workbook(columns, [["H1", Decimal("1.50")]], title="Agreements"))
    assert sheet.title == "Agreements"
    assert [cell.value for cell in sheet[1]] == ["Hospital", "Annual agreed amount"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= len("Annual agreed amount")


def test_numbers_and_dates_keep_their_types_and_text_cannot_be_a_formula():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 30))
    row = [7, Decimal("12.3400"), datetime.date(2026, 3, 1), moment, '=HYPERLINK("x")', None, "@SUM(A1)"]
    sheet = _sheet(build_workbook([Column(str(i), f"c{i}", str) for i in range(len(row))], [row]))
    values = [cell.value for cell in sheet[2]]
    assert values[0] == 7 and Decimal(str(values[1])) == Decimal("12.34")
    assert values[2] == datetime.datetime(2026, 3, 1) and sheet["C2"].number_format == "yyyy-mm-dd"
    assert values[3] == timezone.localtime(moment).replace(tzinfo=None)
    assert values[4] == '\'=HYPERLINK("x")' and values[6] == "'@SUM(A1)"
    assert values[5] in (None, "")
