"""The columns of a customer file: their names in Chinese and English, which are
required, and how a file's header row maps onto them."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl.utils import get_column_letter

from vanke_crm.errors import DomainError

from ..models.customer import PROFILE_FIELDS


class ImportRefused(DomainError):
    """The file as a whole cannot be imported (size, format, columns, no rows)."""

    default_message = gettext_lazy("This file cannot be imported.")

    def __init__(self, message=None, *, field="file"):
        super().__init__(message, field=field)  # on the upload form, under the file


@dataclass(frozen=True)
class Column:
    field: str
    label: Promise
    aliases: tuple = ()
    required: bool = False
    example: str = ""
    help: Promise | str = ""


COLUMNS = (
    Column(
        "name",
        pgettext_lazy("customer file column", "Name"),
        ("姓名", "客户姓名", "客户名称"),
        True,
        "张三",
    ),
    Column(
        "mobile",
        pgettext_lazy("customer file column", "Mobile"),
        ("手机", "手机号", "手机号码", "电话", "联系电话", "phone"),
        True,
        "13812345678",
        gettext_lazy("11-digit mainland mobile number."),
    ),
    Column(
        "id_number",
        pgettext_lazy("customer file column", "ID number"),
        ("身份证号", "身份证", "身份证号码", "证件号码"),
        example="440305198501011231",
        help=gettext_lazy("18 characters; format the column as text so Excel keeps every digit."),
    ),
    Column(
        "gender",
        pgettext_lazy("customer file column", "Gender"),
        ("性别", "sex"),
        example="男",
        help=gettext_lazy("男 / 女 (M / F)."),
    ),
    Column(
        "birthday",
        pgettext_lazy("customer file column", "Birthday"),
        ("生日", "出生日期"),
        example="1985-01-01",
    ),
    Column(
        "family_structure",
        pgettext_lazy("customer file column", "Family structure"),
        ("家庭结构",),
        example="三口之家",
    ),
    Column(
        "occupation", pgettext_lazy("customer file column", "Occupation"), ("职业",), example="教师"
    ),
    Column(
        "budget", pgettext_lazy("customer file column", "Budget"), ("预算",), example="300-400万"
    ),
    Column(
        "needs",
        pgettext_lazy("customer file column", "Needs and preferences"),
        ("需求", "需求偏好", "需求与偏好"),
        example="",
    ),
    Column(
        "source",
        pgettext_lazy("customer file column", "Source channel"),
        ("来源", "来源渠道", "渠道"),
        example="老带新",
        help=gettext_lazy("Blank means “Import”."),
    ),
    Column(
        "tags",
        pgettext_lazy("customer file column", "Tags"),
        ("标签",),
        example="VIP、改善型",
        help=gettext_lazy("Separate several tags with commas or 、; new tags are created."),
    ),
    Column(
        "marketing_consent",
        pgettext_lazy("customer file column", "Marketing consent"),
        ("营销同意", "同意营销", "营销授权", "consent"),
        example="是",
        help=gettext_lazy("是 / 否 (yes / no). Only with the customer's recorded consent."),
    ),
    Column(
        "project_code",
        pgettext_lazy("customer file column", "Project code"),
        ("项目编码", "项目代码"),
        example="sz-wkc",
    ),
    Column(
        "unit_code",
        pgettext_lazy("customer file column", "Unit code"),
        ("房号", "房间号", "房屋编码", "unit"),
        example="3-2-1201",
        help=gettext_lazy("Building-entrance-room. Leave blank for a prospect without a unit."),
    ),
    Column(
        "role",
        pgettext_lazy("customer file column", "Role"),
        ("角色", "产权角色"),
        example="业主",
        help=gettext_lazy("业主 / 共有人."),
    ),
    Column(
        "subscribed_on",
        pgettext_lazy("customer file column", "Subscription date"),
        ("认购日期",),
        example="2024-03-01",
    ),
    Column(
        "contracted_on",
        pgettext_lazy("customer file column", "Contract date"),
        ("签约日期",),
        example="2024-03-20",
    ),
    Column(
        "price",
        pgettext_lazy("customer file column", "Price (yuan)"),
        ("价格", "成交价", "总价", "price"),
        example="3250000",
    ),
    Column(
        "delivery_due_on",
        pgettext_lazy("customer file column", "Planned delivery date"),
        ("计划交付日期", "合同交付日期"),
        example="",
    ),
    Column(
        "handover_on",
        pgettext_lazy("customer file column", "Handover date"),
        ("交付日期", "交房日期"),
        example="",
    ),
)
BY_FIELD = {column.field: column for column in COLUMNS}
CUSTOMER_FIELDS = (*PROFILE_FIELDS, "marketing_consent")
OWNERSHIP_FIELDS = (
    "project_code",
    "unit_code",
    "role",
    "subscribed_on",
    "contracted_on",
    "price",
    "delivery_due_on",
    "handover_on",
)
# The unit and its subscription date go together; the project says where the unit is.
OWNERSHIP_REQUIRED = ("project_code", "unit_code", "subscribed_on")


def key(text: str) -> str:
    """A header or choice as compared: no spaces, marks or bracketed notes, lower case."""
    text = re.sub(r"[（(].*?[)）]", "", str(text or ""))
    return re.sub(r"[\s*＊:：_\-]", "", text).lower()


def header_names() -> dict:
    """Every accepted spelling of every column → field (field names, aliases, and the
    label in each language, so a file exported in either language reads back)."""
    names = {}
    for column in COLUMNS:
        spellings = [column.field, *column.aliases]
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                spellings.append(str(column.label))
        for spelling in spellings:
            names.setdefault(key(spelling), column.field)
    return names


def map_columns(headers: list) -> tuple[dict, list]:
    """{field: {"index", "header", "letter"}} and the headers that were ignored.
    Refuses a file whose required columns are missing or named twice."""
    names = header_names()
    columns, ignored, twice = {}, [], []
    for index, header in enumerate(headers):
        if not header:
            continue
        found = names.get(key(header))
        if found is None:
            ignored.append(header)
        elif found in columns:
            twice.append(header)
        else:
            letter = get_column_letter(index + 1)
            columns[found] = {"index": index, "header": header, "letter": letter}
    needed = [c.field for c in COLUMNS if c.required]
    if any(f in columns for f in OWNERSHIP_REQUIRED):
        needed += list(OWNERSHIP_REQUIRED)
    missing = [BY_FIELD[f] for f in needed if f not in columns]
    if missing:
        raise ImportRefused(
            _("Required columns are missing: %(missing)s. The file's columns are: %(found)s.")
            % {
                "missing": "、".join(_column_name(c) for c in missing),
                "found": "、".join(h for h in headers if h) or "—",
            }
        )
    if twice:
        raise ImportRefused(
            _("These columns appear twice: %(columns)s. Keep one of each.")
            % {"columns": "、".join(twice)}
        )
    return columns, ignored


def _column_name(column: Column) -> str:
    label = str(column.label)
    alias = column.aliases[0] if column.aliases else ""
    return f"{label} ({alias})" if alias and alias != label else label
