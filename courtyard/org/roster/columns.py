"""The file format of the roster workbook: its columns and the names accepted for each choice."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from ..choices import AreaSource, Gender, Occupancy, PersonTag, PropertyType, Relation, ResidenceStatus


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
