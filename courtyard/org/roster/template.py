"""The blank roster template offered for download."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .columns import CHOICE_COLUMNS, COLUMNS, DWELLING_KEYS, EXAMPLE_ROW, TEXT_COLUMNS, english_label, zh_label


# ---------------------------------------------------------------- the template
def template_bytes() -> bytes:
    """The blank roster workbook: the roster sheet with one example row, and a sheet of allowed values."""
    wb = Workbook()
    ws = wb.active
    ws.title = "名册 Roster"
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    ws.append([c.header for c in COLUMNS])
    ws.append(list(EXAMPLE_ROW))
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index)
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[letter].width = max(12, len(column.header) + 4)
        example = ws.cell(row=2, column=index)
        example.font = Font(italic=True, color="808080")
        if column.key in TEXT_COLUMNS:
            example.number_format = "@"
            example.value = str(example.value)
            for row in range(3, 2003):
                ws.cell(row=row, column=index).number_format = "@"
    ws.freeze_panes = "A2"

    help_ws = wb.create_sheet("允许值 Allowed values")
    column_help = _column_help()
    help_ws.append([_("Column"), _("Required"), _("What to enter"), "中文", "English", _("Code")])
    for cell in help_ws[1]:
        cell.font, cell.fill = bold, head_fill
    for column in COLUMNS:
        help_ws.append([column.header, _required_label(column.key), str(column_help[column.key])])
        enum = CHOICE_COLUMNS.get(column.key)
        if enum is not None:
            for code, label in enum.choices:
                help_ws.append(["", "", "", zh_label(enum, code), english_label(label), code])
    help_ws.append([])
    help_ws.append([_("Delete the grey example row before importing. Keep the header row as it is.")])
    help_ws.append([_("A blank cell never erases what is already recorded; it leaves the value unchanged.")])
    for letter, width in zip("ABCDEF", (22, 12, 70, 16, 32, 18), strict=True):
        help_ws.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _column_help():
    return {
        "courtyard": _("Name of the courtyard as recorded in the place tree."),
        "building": _("Name of a building of that courtyard as recorded in the place tree (e.g. 1栋)."),
        "entrance": _("Name of an entrance (单元) of that building as recorded in the place tree (e.g. 1单元)."),
        "room": _("Room number, e.g. 101. Together with the entrance it identifies the dwelling."),
        "floor": _("Floor as a whole number; negative for basements."),
        "area": _("Exclusive area in m², greater than zero, at most two decimal places."),
        "area_source": _("Where the area comes from. Blank with an area given: property register."),
        "property_type": _("Property type of the dwelling. Blank: commodity housing for a new dwelling."),
        "occupancy": _("How the dwelling is used. Blank: self-occupied for a new dwelling."),
        "name": _("Full name. Leave the person columns blank for a row that only describes a dwelling."),
        "gender": _("Gender."),
        "birth_year": _("Four-digit year of birth, from 1900 to this year."),
        "phone": _("Mainland mobile number, 11 digits. Each person needs their own number, or leave it blank."),
        "id_number": _("18-character resident ID number with a correct check digit. Format the column as text."),
        "residence": _("Permanent or floating resident. Blank: permanent resident for a new person."),
        "relation": _("The person's relation to the dwelling. Required when a name is given."),
        "tags": _("Any number of tags separated by 、 or commas."),
    }


def _required_label(key: str) -> str:
    if key in DWELLING_KEYS:
        return _("Yes")
    if key == "relation":
        return _("When a name is given")
    return _("No")
