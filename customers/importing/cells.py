"""The shape of each cell of a customer row: text, dates, yes/no, choices, prices and
tags as people type them. No database access here."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from ..models import Customer, Ownership, Tag
from .columns import OWNERSHIP_FIELDS, OWNERSHIP_REQUIRED, key

# Text that a spreadsheet would run as a formula; our exports prefix it with "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value) -> str:
    """A cell as text; our own exports escaped formula-like text with "'": undo that."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def parse_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 19000101 <= value <= 21001231:
            value = str(int(value))
        elif 1 <= value < 2958466:
            return from_excel(value).date()
        else:
            raise ValueError(value)
    text = cell_text(value)
    text = text.split("T")[0].split(" ")[0]
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


YES = {"是", "y", "yes", "true", "1", "同意", "已同意", "有", "√", "✓", "t"}
NO = {"否", "n", "no", "false", "0", "不同意", "未同意", "无", "×", "f", ""}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    with_labels = {str(_("Yes")).lower(): True, str(_("No")).lower(): False}
    if text in YES:
        return True
    if text in NO:
        return False
    if text in with_labels:
        return with_labels[text]
    raise ValueError(value)


def _choice_lookup(choices, extra: dict) -> dict:
    lookup = {key(k): v for k, v in extra.items()}
    for value, label in choices:
        lookup.setdefault(key(value), value)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                lookup.setdefault(key(str(label)), value)
    return lookup


GENDER_WORDS = {"男": "M", "男性": "M", "male": "M", "女": "F", "女性": "F", "female": "F"}
GENDER_WORDS |= {"未知": "", "unknown": ""}
SOURCE_WORDS = {
    "自然到访": "walk_in",
    "到访": "walk_in",
    "来访": "walk_in",
    "老带新": "referral",
    "推荐": "referral",
    "业主推荐": "referral",
    "网络": "online",
    "线上": "online",
    "热线": "hotline",
    "电话": "hotline",
    "活动": "event",
    "中介": "agent",
    "渠道": "agent",
    "导入": "import",
    "其他": "other",
}
ROLE_WORDS = {"业主": "owner", "产权人": "owner", "共有人": "co_owner", "共同产权人": "co_owner"}


def parse_choice(value, choices, words: dict, default: str) -> str:
    text = cell_text(value)
    if not text:
        return default
    found = _choice_lookup(choices, words).get(key(text))
    if found is None:
        raise ValueError(value)
    return found


def parse_price(value) -> Decimal | None:
    if value in (None, ""):
        return None
    text = re.sub(r"[,，\s¥￥元]", "", cell_text(value))
    try:
        price = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if price < 0 or price >= Decimal("1e10") or not price.is_finite():
        raise ValueError(value)
    return price.quantize(Decimal("0.01"))


def parse_tags(value) -> list:
    names = []
    for name in re.split(r"[,，;；、/|\n]", cell_text(value)):
        name = name.strip()
        if name and name not in names:
            names.append(name)
    return names


def max_length(model, name) -> int | None:
    return model._meta.get_field(name).max_length


def clean_cells(cells: dict) -> tuple[dict, dict]:
    """Shape of one row's cells → (values, {field: message}). Rules that need the
    database (duplicates, projects, units) are checked by the import service."""
    values, errors = {}, {}
    for name in ("name", "family_structure", "occupation", "budget", "needs", "id_number"):
        values[name] = cell_text(cells.get(name))
        limit = max_length(Customer, name)
        if limit and len(values[name]) > limit:
            errors[name] = _("At most %(max)s characters.") % {"max": limit}
    values["mobile"] = cell_text(cells.get("mobile"))
    values["unit_code"] = cell_text(cells.get("unit_code"))
    values["project_code"] = cell_text(cells.get("project_code"))
    parsers = {
        "gender": (
            lambda v: parse_choice(v, Customer.Gender.choices, GENDER_WORDS, ""),
            _("Enter 男 or 女 (M or F), or leave it blank."),
        ),
        "source": (
            lambda v: parse_choice(v, Customer.Source.choices, SOURCE_WORDS, "import"),
            _("Unknown source channel; use one of: %(choices)s.")
            % {"choices": "、".join(str(label) for _v, label in Customer.Source.choices)},
        ),
        "role": (
            lambda v: parse_choice(v, Ownership.Role.choices, ROLE_WORDS, "owner"),
            _("Enter 业主 (owner) or 共有人 (co-owner)."),
        ),
        "marketing_consent": (parse_bool, _("Enter 是 or 否 (yes or no).")),
        "price": (parse_price, _("Enter the price in yuan as a number, such as 3250000.")),
        "tags": (parse_tags, ""),
    }
    for name in ("birthday", "subscribed_on", "contracted_on", "delivery_due_on", "handover_on"):
        parsers[name] = (parse_date, _("Enter a date such as 2024-03-01."))
    for name, (parse, message) in parsers.items():
        try:
            values[name] = parse(cells.get(name))
        except (ValueError, TypeError, OverflowError):
            values[name] = None
            errors[name] = message
    _check_shapes(cells, values, errors)
    return values, errors


def _check_shapes(cells, values, errors) -> None:
    if not values["name"]:
        errors.setdefault("name", _("Please enter the customer's name."))
    birthday = values.get("birthday")
    if birthday and (birthday > datetime.date.today() or birthday.year < 1900):
        errors.setdefault("birthday", _("The birthday cannot be in the future or before 1900."))
    if isinstance(cells.get("id_number"), int | float) and values["id_number"]:
        errors.setdefault(
            "id_number",
            _("The ID number was stored as a number and lost digits; format it as text."),
        )
    limit = max_length(Tag, "name")
    if any(len(t) > limit for t in values.get("tags") or []):
        errors["tags"] = _("A tag has at most %(max)s characters.") % {"max": limit}
    has_unit = any(values.get(f) for f in OWNERSHIP_FIELDS if f not in ("role",))
    if has_unit:
        for name in OWNERSHIP_REQUIRED:
            if not values.get(name) and name not in errors:
                errors[name] = _("Needed when the row has a unit.")
