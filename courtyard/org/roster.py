"""Roster import (ORG-7): households and people from an Excel workbook.

Three steps, and nothing reaches the registry before the last one:

1. `read_roster` checks the file (size, real .xlsx by content, columns, row limit) and turns the
   first sheet into raw rows (pure apart from reading the bytes).
2. `clean_rows` checks every cell (pure), `check_file` finds duplicates and contradictions inside
   the file (pure), and `plan_import` matches the rows against the registry and the importer's
   scope (reads only). The result is a `Plan` with counts and row errors.
3. `commit_import` re-reads the staged file, re-checks everything and writes the plan through the
   org services in one transaction, so each change leaves its own audit event (channel "import")
   and one summary event is recorded for the import.

Re-importing updates and never duplicates: a dwelling is matched by (entrance, room); a person by
mobile number, else ID number, else by name within the same dwelling; a current link with the same
relation is kept. Blank cells never erase what the registry already holds.

The header texts are a file format (bilingual on purpose, the same in every UI language), so they
are constants rather than translated strings; the messages about them are translated.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from courtyard.core.access import in_scope
from courtyard.core.audit import Actor, record
from courtyard.core.files import _size_label, check_upload, store_upload
from courtyard.core.models import Channel
from courtyard.org.access import IMPORT_ROSTER

from . import services
from .choices import AreaSource, Gender, Occupancy, PersonTag, PlaceKind, PropertyType, Relation, ResidenceStatus
from .models import Courtyard, Dwelling, DwellingArea, DwellingLink, Person, Place, RosterImport, Tag


# ---------------------------------------------------------------- the file format
@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str

    @property
    def header(self) -> str:
        return f"{self.zh} {self.en}"


COLUMNS: tuple[Column, ...] = (
    Column("courtyard", "院落", "courtyard"),
    Column("building", "楼栋", "building"),
    Column("entrance", "单元", "entrance"),
    Column("room", "房号", "room"),
    Column("floor", "楼层", "floor"),
    Column("area", "专有面积(m²)", "area"),
    Column("area_source", "面积来源", "area source"),
    Column("property_type", "房屋性质", "property type"),
    Column("occupancy", "使用状态", "occupancy"),
    Column("name", "姓名", "name"),
    Column("gender", "性别", "gender"),
    Column("birth_year", "出生年份", "birth year"),
    Column("phone", "手机号", "mobile"),
    Column("id_number", "身份证号", "ID number"),
    Column("residence", "居住类型", "residence"),
    Column("relation", "与房屋关系", "relation"),
    Column("tags", "标签", "tags"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
DWELLING_KEYS = ("courtyard", "building", "entrance", "room")
PERSON_KEYS = ("name", "gender", "birth_year", "phone", "id_number", "residence", "relation", "tags")
TEXT_COLUMNS = ("room", "phone", "id_number")  # formatted as text in the template so Excel keeps every digit

# Chinese names accepted for each choice (besides the code, the English label and the translated label).
ZH_LABELS: dict[type[models.TextChoices], dict[str, tuple[str, ...]]] = {
    AreaSource: {"register": ("不动产登记", "产权证", "不动产权证"), "survey": ("测绘面积", "实测", "测绘"),
                 "contract": ("购房合同", "合同")},
    PropertyType: {"commodity": ("商品房",), "reform": ("房改房",), "public_rental": ("公租房", "公房"),
                   "resettlement": ("安置房", "拆迁安置房"), "self_built": ("自建房",),
                   "commercial": ("商业用房", "商铺"), "other": ("其他",)},
    Occupancy: {"self": ("自住",), "rented": ("出租",), "homestay": ("民宿",), "vacant": ("空置",)},
    Gender: {"F": ("女",), "M": ("男",)},
    ResidenceStatus: {"permanent": ("户籍人口", "常住人口", "常住"), "floating": ("流动人口", "流动")},
    Relation: {"owner": ("业主", "产权人"), "co_owner": ("共有人", "共同产权人"), "tenant": ("租户", "承租人"),
               "family": ("家庭成员", "家属"), "homestay_operator": ("民宿经营者",)},
    PersonTag: {"party_member": ("党员",), "volunteer": ("志愿者",), "building_head": ("楼栋长",),
                "veteran": ("退役军人",), "merchant": ("商户",), "professional": ("专业人士",),
                "representative": ("议事代表",)},
}
CHOICE_COLUMNS: dict[str, type[models.TextChoices]] = {
    "area_source": AreaSource, "property_type": PropertyType, "occupancy": Occupancy, "gender": Gender,
    "residence": ResidenceStatus, "relation": Relation, "tags": PersonTag,
}
TAG_SEPARATORS = re.compile(r"[,，、;；/|\s]+")
EXAMPLE_ROW = ("示例院 Example", "1栋", "1单元", "101", 1, 85.5, "不动产登记", "商品房", "自住", "张三", "男", 1960,
               "13800138000", "11010519491231002X", "户籍人口", "业主", "党员、志愿者")


def norm(value) -> str:
    """Comparison form of a label: NFKC (full-width → half-width, ㎡ → m2), no spaces, case-folded."""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", "", text).casefold()


@lru_cache(maxsize=1)
def _header_map() -> dict[str, str]:
    out = {}
    for c in COLUMNS:
        for alias in (c.header, c.zh, c.en, c.key, c.zh.replace("(m²)", ""), c.header.replace("(m²)", "")):
            out[norm(alias)] = c.key
    return out


def english_label(label) -> str:
    with translation.override("en"):
        return str(label)


@lru_cache(maxsize=16)
def _choice_map(enum: type[models.TextChoices], language: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, label in enum.choices:
        aliases = [code, english_label(label), str(label), *ZH_LABELS.get(enum, {}).get(code, ())]
        with translation.override("zh-hans"):
            aliases.append(str(label))
        for alias in aliases:
            out[norm(alias)] = code
    return out


def parse_choice(enum: type[models.TextChoices], value: str) -> str:
    code = _choice_map(enum, translation.get_language() or "").get(norm(value))
    if code is None:
        raise ValidationError(_("“%(value)s” is not one of the allowed values (see the “Allowed values” sheet).")
                              % {"value": value})
    return code


def zh_label(enum, code: str) -> str:
    return ZH_LABELS.get(enum, {}).get(code, ("",))[0]


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


# ---------------------------------------------------------------- checking cells (pure)
@dataclass
class CleanRow:
    row: int
    courtyard: str
    building: str
    entrance: str
    room: str
    floor: int | None = None
    area: Decimal | None = None
    area_source: str = ""
    property_type: str = ""
    occupancy: str = ""
    name: str = ""
    gender: str = ""
    birth_year: int | None = None
    phone: str = ""
    phone_hash: str = ""
    id_number: str = ""
    id_hash: str = ""
    residence: str = ""
    relation: str = ""
    tags: list[str] | None = None

    @property
    def dwelling_key(self) -> tuple[str, str, str, str]:
        return (norm(self.courtyard), norm(self.building), norm(self.entrance), norm(self.room))

    @property
    def has_person(self) -> bool:
        return bool(self.name)

    @property
    def person_key(self) -> tuple:
        if self.phone_hash:
            return ("phone", self.phone_hash)
        if self.id_hash:
            return ("id", self.id_hash)
        return ("name", self.dwelling_key, norm(self.name))


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def clean_row(raw: RawRow, *, this_year: int) -> tuple[CleanRow | None, list[RowError]]:
    """Checks the cells of one row; returns the typed row (None when a key cell is unusable) and errors."""
    errors: list[RowError] = []
    v = {key: _text(value) for key, value in raw.values.items()}

    def err(key: str, message: str) -> None:
        errors.append(RowError(raw.row, COLUMN_BY_KEY[key].header, str(message)))

    limits = {"courtyard": 100, "building": 100, "entrance": 100, "room": 20, "name": 50}
    for key in DWELLING_KEYS:
        if not v[key]:
            err(key, _("This cell is required."))
        elif len(v[key]) > limits[key]:
            err(key, _("This is too long (at most %(n)s characters).") % {"n": limits[key]})
    row = CleanRow(raw.row, v["courtyard"], v["building"], v["entrance"], v["room"])

    if v["floor"]:
        try:
            row.floor = int(v["floor"])
            if not -9 <= row.floor <= 200:
                raise ValueError
        except ValueError:
            err("floor", _("The floor must be a whole number between -9 and 200."))
    if v["area"]:
        try:
            row.area = services.parse_area(v["area"])
        except ValidationError as exc:
            err("area", _messages(exc))
    for key in ("area_source", "property_type", "occupancy", "gender", "residence", "relation"):
        if v[key]:
            try:
                setattr(row, key, parse_choice(CHOICE_COLUMNS[key], v[key]))
            except ValidationError as exc:
                err(key, _messages(exc))
    if row.area_source and not v["area"]:
        err("area_source", _("An area source is given but no area."))
    if row.area is not None and not row.area_source and not v["area_source"]:
        row.area_source = AreaSource.REGISTER

    row.name = v["name"]
    if len(row.name) > limits["name"]:
        err("name", _("This is too long (at most %(n)s characters).") % {"n": limits["name"]})
    if v["birth_year"]:
        try:
            row.birth_year = int(v["birth_year"])
            if not 1900 <= row.birth_year <= this_year:
                raise ValueError
        except ValueError:
            err("birth_year", _("The year of birth must be a four-digit year from 1900 to %(year)s.")
                % {"year": this_year})
    if v["phone"]:
        try:
            row.phone, row.phone_hash = services._clean_phone(v["phone"])
        except ValidationError as exc:
            err("phone", _messages(exc))
    if v["id_number"]:
        try:
            row.id_number, row.id_hash = services._clean_id(v["id_number"])
        except ValidationError as exc:
            message = _messages(exc)
            if isinstance(raw.values.get("id_number"), (int, float)):
                message += " " + _("The cell holds a number: format the column as text so Excel keeps all 18 digits.")
            err("id_number", message)
    if v["tags"]:
        codes: list[str] = []
        for part in TAG_SEPARATORS.split(v["tags"]):
            if not part:
                continue
            try:
                code = parse_choice(PersonTag, part)
            except ValidationError as exc:
                err("tags", _messages(exc))
                continue
            if code not in codes:
                codes.append(code)
        row.tags = codes
    if not row.name and any(v[key] for key in PERSON_KEYS if key != "name"):
        err("name", _("A name is required when other person details are given."))
    if row.name and not v["relation"]:
        err("relation", _("Give the person's relation to the dwelling."))
    if any(not v[key] for key in DWELLING_KEYS):
        return None, errors
    return row, errors


DWELLING_FIELDS = ("floor", "property_type", "occupancy")
PERSON_FIELDS = ("name", "gender", "birth_year", "residence", "id_hash", "phone_hash")


def check_file(rows: list[CleanRow]) -> list[RowError]:
    """Duplicates and contradictions between rows of the same file (pure)."""
    errors: list[RowError] = []
    dwelling_seen: dict[tuple, dict[str, tuple[int, object]]] = defaultdict(dict)
    dwelling_only: dict[tuple, int] = {}
    person_seen: dict[tuple, dict[str, tuple[int, object]]] = defaultdict(dict)
    link_seen: dict[tuple, int] = {}
    ids_seen: dict[str, tuple[int, tuple]] = {}

    def header(key: str) -> str:
        return COLUMN_BY_KEY[{"residence": "residence", "id_hash": "id_number", "phone_hash": "phone"}.get(key, key)].header

    for row in rows:
        dkey = row.dwelling_key
        values = {k: getattr(row, k) for k in DWELLING_FIELDS}
        if row.area is not None:
            values[f"area:{row.area_source}"] = row.area
        for key, value in values.items():
            if value in (None, ""):
                continue
            first = dwelling_seen[dkey].setdefault(key, (row.row, value))
            if first[1] != value:
                column = COLUMN_BY_KEY["area" if key.startswith("area:") else key].header
                errors.append(RowError(row.row, column, _("Row %(other)s gives a different value for the same "
                                                          "dwelling.") % {"other": first[0]}))
        if not row.has_person:
            if dkey in dwelling_only:
                errors.append(RowError(row.row, "", _("Duplicate of row %(other)s.") % {"other": dwelling_only[dkey]}))
            else:
                dwelling_only[dkey] = row.row
            continue
        pkey = row.person_key
        lkey = (pkey, dkey, row.relation)
        if lkey in link_seen:
            errors.append(RowError(row.row, "", _("Duplicate of row %(other)s.") % {"other": link_seen[lkey]}))
            continue
        link_seen[lkey] = row.row
        if row.id_hash:
            other = ids_seen.setdefault(row.id_hash, (row.row, pkey))
            if other[1] != pkey:
                errors.append(RowError(row.row, header("id_hash"), _("Row %(other)s gives the same ID number for "
                                                                     "another person.") % {"other": other[0]}))
        for key in PERSON_FIELDS:
            value = getattr(row, key)
            if value in (None, ""):
                continue
            first = person_seen[pkey].setdefault(key, (row.row, value))
            if first[1] != value:
                if key == "name" and pkey[0] == "phone":
                    message = _("Row %(other)s has the same mobile number with a different name. Each person "
                                "needs their own mobile number; leave it blank for one of them.")
                else:
                    message = _("Row %(other)s gives a different value for the same person.")
                errors.append(RowError(row.row, header(key), message % {"other": first[0]}))
        if row.tags is not None:
            first = person_seen[pkey].setdefault("tags", (row.row, sorted(row.tags)))
            if first[1] != sorted(row.tags):
                errors.append(RowError(row.row, COLUMN_BY_KEY["tags"].header, _(
                    "Row %(other)s gives a different value for the same person.") % {"other": first[0]}))
    return errors


# ---------------------------------------------------------------- matching against the registry
@dataclass
class DwellingPlan:
    key: tuple
    row: int
    entrance: Place
    number: str
    existing: Dwelling | None = None
    fields: dict = field(default_factory=dict)  # for update: only the changed ones
    areas: dict[str, Decimal] = field(default_factory=dict)  # source → area to record
    dwelling: Dwelling | None = None  # set on commit

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def is_changed(self) -> bool:
        return self.existing is not None and bool(self.fields or self.areas)


@dataclass
class PersonPlan:
    key: tuple
    row: int
    dwelling_key: tuple
    existing: Person | None = None
    fields: dict = field(default_factory=dict)
    phone: str | None = None
    id_number: str | None = None
    tags: list[str] | None = None
    person: Person | None = None

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def is_changed(self) -> bool:
        return self.existing is not None and bool(
            self.fields or self.phone is not None or self.id_number is not None or self.tags is not None
        )


@dataclass
class Plan:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    dwellings: dict[tuple, DwellingPlan] = field(default_factory=dict)
    people: dict[tuple, PersonPlan] = field(default_factory=dict)
    links: list[tuple[tuple, tuple, str, int]] = field(default_factory=list)  # person key, dwelling key, relation, row
    links_kept: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new_dwellings": sum(p.is_new for p in self.dwellings.values()),
            "updated_dwellings": sum(p.is_changed for p in self.dwellings.values()),
            "new_people": sum(p.is_new for p in self.people.values()),
            "updated_people": sum(p.is_changed for p in self.people.values()),
            "new_links": len(self.links),
            "kept_links": self.links_kept,
        }


def _strip_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


BUILDING_SUFFIXES = ("号楼", "栋", "幢", "楼", "号")
ENTRANCE_SUFFIXES = ("单元", "门", "号")


class _Places:
    """The courtyards, buildings and entrances of one community, looked up by (normalised) name."""

    def __init__(self, community: Place):
        self.courtyards = {norm(c.name): c for c in Courtyard.objects.filter(community=community)}
        self.buildings: dict[int, list[Place]] = defaultdict(list)
        for b in Place.objects.filter(kind=PlaceKind.BUILDING, courtyard__community=community):
            self.buildings[b.courtyard_id].append(b)
        self.entrances: dict[int, list[Place]] = defaultdict(list)
        for e in Place.objects.filter(kind=PlaceKind.ENTRANCE, community=community).select_related(
                "parent__courtyard"):
            self.entrances[e.parent_id].append(e)

    @staticmethod
    def _find(candidates: list[Place], name: str, suffixes: tuple[str, ...]) -> list[Place]:
        wanted = norm(name)
        exact = [p for p in candidates if norm(p.name) == wanted]
        if exact:
            return exact
        stem = _strip_suffix(wanted, suffixes)
        return [p for p in candidates if _strip_suffix(norm(p.name), suffixes) == stem]

    def entrance_for(self, row: CleanRow) -> tuple[Place | None, RowError | None]:
        courtyard = self.courtyards.get(norm(row.courtyard))
        if courtyard is None:
            return None, RowError(row.row, COLUMN_BY_KEY["courtyard"].header,
                                  _("There is no courtyard named “%(name)s” in this community.") % {"name": row.courtyard})
        buildings = self._find(self.buildings.get(courtyard.pk, []), row.building, BUILDING_SUFFIXES)
        if len(buildings) != 1:
            message = (_("Courtyard “%(courtyard)s” has no building named “%(name)s”. Add it to the place tree first.")
                       if not buildings else
                       _("Courtyard “%(courtyard)s” has several buildings named “%(name)s”. Use the exact name."))
            return None, RowError(row.row, COLUMN_BY_KEY["building"].header,
                                  message % {"courtyard": courtyard.name, "name": row.building})
        building = buildings[0]
        entrances = self._find(self.entrances.get(building.pk, []), row.entrance, ENTRANCE_SUFFIXES)
        if len(entrances) != 1:
            message = (_("Building “%(building)s” has no entrance named “%(name)s”. Add it to the place tree first.")
                       if not entrances else
                       _("Building “%(building)s” has several entrances named “%(name)s”. Use the exact name."))
            return None, RowError(row.row, COLUMN_BY_KEY["entrance"].header,
                                  message % {"building": building.name, "name": row.entrance})
        return entrances[0], None


def plan_import(*, user, community: Place, rows: list[CleanRow]) -> Plan:
    """Matches checked rows against the registry and the user's scope (reads only)."""
    plan = Plan(rows=len(rows))
    places = _Places(community)
    scope_cache: dict[int, bool] = {}
    entrance_of: dict[tuple, Place] = {}
    usable: list[CleanRow] = []
    for row in rows:
        if row.dwelling_key in entrance_of:
            usable.append(row)
            continue
        entrance, error = places.entrance_for(row)
        if error is not None:
            plan.errors.append(error)
            continue
        if entrance.pk not in scope_cache:
            scope_cache[entrance.pk] = in_scope(user, IMPORT_ROSTER, entrance)
        if not scope_cache[entrance.pk]:
            plan.errors.append(RowError(row.row, COLUMN_BY_KEY["courtyard"].header, _(
                "%(place)s is outside the area where you may import rosters.")
                % {"place": f"{row.courtyard} {entrance.parent.name}{entrance.name}"}))
            continue
        entrance_of[row.dwelling_key] = entrance
        usable.append(row)

    # Dwellings: matched by (entrance, room).
    entrance_ids = {e.pk for e in entrance_of.values()}
    existing = {(d.entrance_id, norm(d.number)): d
                for d in Dwelling.objects.filter(entrance_id__in=entrance_ids)}
    area_of = {(a.dwelling_id, a.source): a.area_m2
               for a in DwellingArea.objects.filter(dwelling__entrance_id__in=entrance_ids)}
    for row in usable:
        entrance = entrance_of[row.dwelling_key]
        dplan = plan.dwellings.get(row.dwelling_key)
        if dplan is None:
            dplan = DwellingPlan(row.dwelling_key, row.row, entrance, row.room,
                                 existing=existing.get((entrance.pk, norm(row.room))))
            plan.dwellings[row.dwelling_key] = dplan
        current = dplan.existing
        for key in DWELLING_FIELDS:
            value = getattr(row, key)
            if value in (None, ""):
                continue
            if current is None or getattr(current, key) != value:
                dplan.fields[key] = value
        if row.area is not None and (current is None or area_of.get((current.pk, row.area_source)) != row.area):
            dplan.areas[row.area_source] = row.area

    # People: matched by mobile number, else ID number, else name within the same dwelling.
    person_rows = [r for r in usable if r.has_person]
    by_phone: dict[str, list[Person]] = defaultdict(list)
    by_id: dict[str, list[Person]] = defaultdict(list)
    phone_hashes = {r.phone_hash for r in person_rows if r.phone_hash}
    id_hashes = {r.id_hash for r in person_rows if r.id_hash}
    for p in Person.objects.filter(community=community).filter(
            models.Q(phone_hash__in=phone_hashes) | models.Q(id_hash__in=id_hashes)):
        if p.phone_hash in phone_hashes:
            by_phone[p.phone_hash].append(p)
        if p.id_hash in id_hashes:
            by_id[p.id_hash].append(p)
    dwelling_ids = [d.existing.pk for d in plan.dwellings.values() if d.existing is not None]
    by_name: dict[tuple[int, str], dict[int, Person]] = defaultdict(dict)
    current_links: set[tuple[int, int, str]] = set()
    for link in DwellingLink.objects.filter(dwelling_id__in=dwelling_ids, end_date__isnull=True).select_related(
            "person"):
        by_name[(link.dwelling_id, norm(link.person.name))][link.person_id] = link.person
        current_links.add((link.person_id, link.dwelling_id, link.relation))
    for p in Person.objects.filter(home_id__in=dwelling_ids):
        by_name[(p.home_id, norm(p.name))][p.pk] = p

    matched_ids: set[int] = set()
    for row in person_rows:
        pkey = row.person_key
        pplan = plan.people.get(pkey)
        if pplan is None:
            person, error = _match_person(row, by_phone, by_id, by_name, plan.dwellings[row.dwelling_key])
            if error is not None:
                plan.errors.append(error)
                continue
            if person is not None and person.home_id is not None and not in_scope(user, IMPORT_ROSTER, person):
                plan.errors.append(RowError(row.row, COLUMN_BY_KEY["name"].header, _(
                    "This person is registered at a home outside the area where you may import rosters.")))
                continue
            if person is not None and person.pk in matched_ids:
                plan.errors.append(RowError(row.row, COLUMN_BY_KEY["name"].header, _(
                    "Another row of the file already matches this person with other details.")))
                continue
            if person is not None:
                matched_ids.add(person.pk)
            pplan = PersonPlan(pkey, row.row, row.dwelling_key, existing=person)
            plan.people[pkey] = pplan
        _merge_person(pplan, row)
        dplan = plan.dwellings[row.dwelling_key]
        if (pplan.existing is not None and dplan.existing is not None
                and (pplan.existing.pk, dplan.existing.pk, row.relation) in current_links):
            plan.links_kept += 1
        else:
            plan.links.append((pkey, row.dwelling_key, row.relation, row.row))
    if pplan_tags := [p for p in plan.people.values() if p.existing is not None and p.tags is not None]:
        tags_of: dict[int, list[str]] = defaultdict(list)
        for person_id, code in Tag.objects.filter(person__in=[p.existing for p in pplan_tags]).values_list(
                "person_id", "code"):
            tags_of[person_id].append(code)
        for p in pplan_tags:
            if sorted(tags_of[p.existing.pk]) == sorted(p.tags):
                p.tags = None
    return plan


def _match_person(row, by_phone, by_id, by_name, dplan) -> tuple[Person | None, RowError | None]:
    name_col = COLUMN_BY_KEY["name"].header
    if row.phone_hash and by_phone.get(row.phone_hash):
        candidates = by_phone[row.phone_hash]
        if len(candidates) > 1:
            candidates = [p for p in candidates if norm(p.name) == norm(row.name)]
            if len(candidates) != 1:
                return None, RowError(row.row, COLUMN_BY_KEY["phone"].header, _(
                    "Several people are registered with this mobile number. Correct them in the console first."))
        person = candidates[0]
        if row.id_hash and person.id_hash and person.id_hash != row.id_hash:
            return None, RowError(row.row, COLUMN_BY_KEY["id_number"].header, _(
                "This mobile number is registered for %(name)s, whose ID number is different.") % {"name": person.name})
        others = [p for p in by_id.get(row.id_hash, []) if p.pk != person.pk] if row.id_hash else []
        if others:
            return None, RowError(row.row, COLUMN_BY_KEY["id_number"].header, _(
                "The mobile number and the ID number belong to two different registered people."))
        return person, None
    if row.id_hash and by_id.get(row.id_hash):
        candidates = by_id[row.id_hash]
        if len(candidates) > 1:
            return None, RowError(row.row, COLUMN_BY_KEY["id_number"].header, _(
                "Several people are registered with this ID number. Correct them in the console first."))
        return candidates[0], None
    if row.phone_hash or row.id_hash or dplan.existing is None:
        return None, None
    found = list(by_name.get((dplan.existing.pk, norm(row.name)), {}).values())
    if not found:
        return None, None
    unidentified = [p for p in found if not p.phone_hash and not p.id_hash] or found
    if len(unidentified) > 1:
        return None, RowError(row.row, name_col, _(
            "Several people named %(name)s are registered in this dwelling. Add a mobile or ID number.")
            % {"name": row.name})
    return unidentified[0], None


def _merge_person(pplan: PersonPlan, row: CleanRow) -> None:
    current = pplan.existing
    wanted = {"name": row.name, "gender": row.gender, "birth_year": row.birth_year,
              "residence_status": row.residence}
    for key, value in wanted.items():
        if value in (None, ""):
            continue
        if current is None or getattr(current, key) != value:
            pplan.fields[key] = value
    if row.phone and (current is None or current.phone_hash != row.phone_hash):
        pplan.phone = row.phone
    if row.id_number and (current is None or current.id_hash != row.id_hash):
        pplan.id_number = row.id_number
    if row.tags is not None:
        pplan.tags = list(row.tags)  # check_file makes sure every row of one person gives the same tags


# ---------------------------------------------------------------- the whole check
def check_roster(*, user, community: Place, data: bytes, this_year: int | None = None) -> Plan:
    """Everything short of writing: raises RosterFileError for the file, returns a Plan with row errors."""
    this_year = this_year or timezone.localdate().year
    raw_rows, extra = read_roster(data)
    cleaned: list[CleanRow] = []
    errors: list[RowError] = []
    for raw in raw_rows:
        row, row_errors = clean_row(raw, this_year=this_year)
        errors.extend(row_errors)
        if row is not None:
            cleaned.append(row)
    bad_rows = {e.row for e in errors}
    errors.extend(check_file(cleaned))
    good = [r for r in cleaned if r.row not in bad_rows]
    plan = plan_import(user=user, community=community, rows=good)
    plan.rows = len(raw_rows)
    plan.errors = sorted(errors + plan.errors, key=lambda e: (e.row or 0, e.column))
    plan.extra_columns = extra
    return plan


def importable_communities(user) -> models.QuerySet[Place]:
    """Communities where the user holds IMPORT_ROSTER on some place."""
    communities = Place.objects.filter(kind=PlaceKind.COMMUNITY)
    if getattr(user, "is_superuser", False):
        return communities
    from courtyard.core.access import grants_with

    paths = {g.path for g in grants_with(user, IMPORT_ROSTER)}
    ids = [c.pk for c in communities.only("pk", "path")
           if any(c.path.startswith(p) or p.startswith(c.path) for p in paths)]
    return communities.filter(pk__in=ids)


# ---------------------------------------------------------------- staging and commit
@transaction.atomic
def stage_import(*, by: Actor, community: Place, data: bytes, filename: str, plan: Plan) -> RosterImport:
    """Keeps a checked file (as an attachment) until the user confirms the import."""
    if not plan.ok:
        raise ValueError("only a plan without errors is staged")
    attachment = store_upload(by=by, upload=ContentFile(data, name=filename), allowed={"spreadsheet"},
                              max_bytes=settings.COURTYARD_ROSTER_MAX_BYTES)
    staged = RosterImport.objects.create(community=community, attachment=attachment, rows=plan.rows,
                                         counts=plan.counts, created_by=by.user)
    attachment.owner_type_id = _content_type_id()
    attachment.owner_id = str(staged.pk)
    attachment.save(update_fields=["owner_type", "owner_id"])
    return staged


def _content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(RosterImport).pk


class CommitRefused(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("roster import refused")
        self.errors = errors


def commit_import(*, by: Actor, staged: RosterImport) -> RosterImport:
    """Re-checks the staged file and writes it all, or nothing. Marks the import failed on refusal."""
    try:
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().get(pk=staged.pk)
            if locked.status != RosterImport.Status.STAGED:
                raise CommitRefused([RowError(None, "", _("This import has already been processed."))])
            with locked.attachment.file.open("rb") as fh:
                data = fh.read()
            try:
                plan = check_roster(user=by.user, community=locked.community, data=data)
            except RosterFileError as exc:
                raise CommitRefused([RowError(None, "", exc.message)]) from exc
            if not plan.ok:
                raise CommitRefused(plan.errors)
            apply_plan(by=by, community=locked.community, plan=plan)
            locked.status = RosterImport.Status.COMMITTED
            locked.counts = plan.counts
            locked.rows = plan.rows
            locked.errors = []
            locked.committed_at = timezone.now()
            locked.save(update_fields=["status", "counts", "rows", "errors", "committed_at"])
            record(by, "org.roster.import", locked, changes={k: [None, n] for k, n in plan.counts.items()},
                   note=locked.attachment.original_name)
            # The workbook (names, ID and phone numbers in clear) is not kept once imported.
            from .roster_retention import discard_workbook

            discard_workbook(by=by, staged=locked, reason="imported")
            return locked
    except CommitRefused as exc:
        _fail(staged, exc.errors)
        raise
    except (ValidationError, IntegrityError) as exc:  # a service or the database refused what the checks let through
        message = _messages(exc) if isinstance(exc, ValidationError) else _(
            "The registry changed while importing. Check the file again and retry.")
        errors = [RowError(None, "", message)]
        _fail(staged, errors)
        raise CommitRefused(errors) from exc


def _fail(staged: RosterImport, errors: list[RowError]) -> None:
    from .roster_retention import discard_workbook

    with transaction.atomic():
        RosterImport.objects.filter(pk=staged.pk, status=RosterImport.Status.STAGED).update(
            status=RosterImport.Status.FAILED, errors=[e.as_dict() for e in errors[:1000]])
        discard_workbook(by=Actor.system(), staged=staged, reason="failed")


def apply_plan(*, by: Actor, community: Place, plan: Plan) -> None:
    """Writes a checked plan through the org services (caller holds the transaction)."""
    if by.channel != Channel.IMPORT:
        by = Actor(user=by.user, on_behalf_of=by.on_behalf_of, channel=Channel.IMPORT, ip=by.ip)
    for dplan in plan.dwellings.values():
        if dplan.is_new:
            first_area = next(iter(dplan.areas.items()), None)
            dplan.dwelling = services.create_dwelling(
                by=by, entrance=dplan.entrance, number=dplan.number, floor=dplan.fields.get("floor"),
                area_m2=first_area[1] if first_area else None, area_source=first_area[0] if first_area else "",
                property_type=dplan.fields.get("property_type", ""), occupancy=dplan.fields.get("occupancy", ""),
            )
            remaining = list(dplan.areas.items())[1:]
        else:
            dplan.dwelling = dplan.existing
            if dplan.fields:
                services.update_dwelling(by=by, dwelling=dplan.dwelling, **dplan.fields)
            remaining = list(dplan.areas.items())
        for source, area in remaining:
            services.record_area(by=by, dwelling=dplan.dwelling, source=source, area_m2=area)
    for pplan in plan.people.values():
        home = plan.dwellings[pplan.dwelling_key].dwelling
        if pplan.is_new:
            fields = dict(pplan.fields)
            pplan.person = services.create_person(
                by=by, community=community, name=fields.pop("name"), phone=pplan.phone or "",
                id_number=pplan.id_number or "", home=home, tags=pplan.tags or [],
                residence_status=fields.pop("residence_status", ResidenceStatus.PERMANENT), **fields,
            )
        else:
            pplan.person = pplan.existing
            if pplan.is_changed:
                services.update_person(by=by, person=pplan.person, phone=pplan.phone, id_number=pplan.id_number,
                                       tags=pplan.tags, **pplan.fields)
    for pkey, dkey, relation, _row in plan.links:
        services.link_person(by=by, person=plan.people[pkey].person, dwelling=plan.dwellings[dkey].dwelling,
                             relation=relation)
