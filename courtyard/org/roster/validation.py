"""Checking every cell of a row and the file as a whole (pure)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import services
from ..choices import AreaSource, PersonTag
from .columns import CHOICE_COLUMNS, COLUMN_BY_KEY, DWELLING_KEYS, PERSON_KEYS, TAG_SEPARATORS, norm, parse_choice
from .parsing import RawRow, RowError, _text


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
