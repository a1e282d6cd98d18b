"""Reading the uploaded workbook into raw rows (file checks: size, real .xlsx, header, row limit)."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from courtyard.core.files import _size_label, check_upload

from .columns import COLUMN_BY_KEY, COLUMNS, _header_map, norm


# ---------------------------------------------------------------- reading the file
@dataclass
class RowError:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class RosterFileError(Exception):
    """The file as a whole cannot be read; nothing was checked row by row."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class RawRow:
    row: int
    values: dict[str, object]


# An .xlsx is a zip: refuse archives that unpack to far more than they weigh (real rosters unpack to ~13×).
MAX_UNZIPPED_RATIO = 100


def read_upload_bytes(upload, max_bytes: int | None = None) -> bytes:
    """Reads an uploaded file, refusing once it passes the roster size limit."""
    limit = settings.COURTYARD_ROSTER_MAX_BYTES if max_bytes is None else max_bytes
    chunks, total = [], 0
    source = upload.chunks(64 * 1024) if hasattr(upload, "chunks") else iter(lambda: upload.read(64 * 1024), b"")
    for chunk in source:
        total += len(chunk)
        if total > limit:
            raise RosterFileError(_("The file is larger than the limit of %(limit)s. Split the roster into "
                                    "several files.") % {"limit": _size_label(limit)})
        chunks.append(chunk)
    if total == 0:
        raise RosterFileError(_("The file is empty."))
    return b"".join(chunks)


def _not_xlsx_message() -> str:
    return _("This file is not an Excel workbook (.xlsx). If the roster is a CSV, .xls or WPS file, open it in "
             "Excel or WPS, save it as “Excel Workbook (*.xlsx)” and upload it again.")


def read_roster(data: bytes, *, max_rows: int | None = None) -> tuple[list[RawRow], list[str]]:
    """The data rows of the first sheet, keyed by column, and the names of ignored extra columns."""
    max_rows = settings.COURTYARD_ROSTER_MAX_ROWS if max_rows is None else max_rows
    try:
        check_upload(io.BytesIO(data), {"spreadsheet"})
    except ValidationError as exc:
        if exc.code == "file_dtd":
            raise RosterFileError(exc.messages[0]) from exc
        raise RosterFileError(_not_xlsx_message()) from exc
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    if unzipped > max(len(data), 64 * 1024) * MAX_UNZIPPED_RATIO:
        raise RosterFileError(_("The workbook unpacks to an unusually large size and was refused."))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds of errors for broken files
        raise RosterFileError(_("The workbook could not be read. Save it again in Excel or WPS as .xlsx.")) from exc
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header, header_row = None, 0
        for number, values in enumerate(rows, start=1):
            if any(_text(v) for v in values):
                header, header_row = values, number
                break
        if header is None:
            raise RosterFileError(_("The first sheet is empty."))
        positions, extra = _map_header(header)
        out: list[RawRow] = []
        for number, values in enumerate(rows, start=header_row + 1):
            if not any(_text(v) for v in values):
                continue
            if len(out) >= max_rows:
                raise RosterFileError(_("The file has more than %(limit)s rows. Split the roster into several "
                                        "files.") % {"limit": max_rows})
            out.append(RawRow(number, {key: (values[i] if i < len(values) else None) for key, i in positions.items()}))
    finally:
        wb.close()
    if not out:
        raise RosterFileError(_("The roster has a header row but no data rows."))
    return out, extra


def _map_header(header) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    extra: list[str] = []
    known = _header_map()
    for index, value in enumerate(header):
        text = _text(value)
        if not text:
            continue
        key = known.get(norm(text))
        if key is None:
            extra.append(text)
        elif key in positions:
            raise RosterFileError(_("The column “%(column)s” appears twice.") % {"column": COLUMN_BY_KEY[key].header})
        else:
            positions[key] = index
    missing = [c.header for c in COLUMNS if c.key not in positions]
    if missing:
        raise RosterFileError(
            _("These columns are missing: %(columns)s. Download the template and copy the header row from it.")
            % {"columns": ", ".join(f"“{m}”" for m in missing)}
        )
    return positions, extra


def _text(value) -> str:
    """A cell as text: numbers without a trailing .0, everything stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return unicodedata.normalize("NFKC", str(value)).strip()
