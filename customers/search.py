"""Finding a customer the way staff type: name (汉字, pinyin or initials), mobile (full
or last four digits), unit code ("3-2-1201") or, for staff who may reveal ID numbers,
a whole ID number. A search is an oracle: anyone else searching by an ID number (or a
part of one) could test guesses one query at a time, so for them ID numbers are not
searched at all (docs/decisions/0012-id-numbers.md)."""

import re

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from pypinyin import Style, lazy_pinyin

UNIT_CODE = re.compile(r"^[0-9A-Za-z]+-[0-9A-Za-z]+-[0-9A-Za-z]+$")
ASCII_NAME = re.compile(r"^[A-Za-z ]+$")
ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")


def pinyin_of(name: str) -> str:
    return "".join(lazy_pinyin(name or "")).lower().replace(" ", "")


def initials_of(name: str) -> str:
    return "".join(lazy_pinyin(name or "", style=Style.FIRST_LETTER)).lower().replace(" ", "")


def looks_like_id_number(text: str) -> bool:
    return bool(ID_NUMBER.match((text or "").strip()))


def customer_search_q(text: str, *, id_numbers: bool = False):
    """The filter for a search box entry, or None when there is nothing to search.
    `id_numbers`: the whole ID number is matched too (never a part of one)."""
    from .models import Ownership

    text = (text or "").strip()
    if not text:
        return None
    if UNIT_CODE.match(text):
        owns = Ownership.objects.filter(
            customer=OuterRef("pk"), unit__code__iexact=text, status__in=Ownership.ACTIVE
        )
        return Q(Exists(owns))
    if looks_like_id_number(text):
        return Q(id_number=text.upper()) if id_numbers else Q(pk__in=[])
    digits = re.sub(r"[\s+-]", "", text)
    if digits.isdigit():
        if len(digits) == 4:
            return Q(mobile_tail=digits)
        return Q(mobile__contains=digits[-11:])
    if ASCII_NAME.match(text):
        word = text.lower().replace(" ", "")
        return Q(name_initials__startswith=word) | Q(name_pinyin__startswith=word)
    # Chinese has no case: a plain LIKE '%…%' can use the pg_trgm GIN index, while
    # ILIKE (icontains) on UPPER(name) cannot (bench/: p95 170 ms → 45 ms on 200k).
    query = Q(name__contains=text)
    if connection.vendor == "postgresql" and len(text) >= 3:
        # Fuzzy match for typos in longer names (欧阳娜妮 → 欧阳娜娜); two-character
        # names share too few trigrams for similarity to mean anything.
        query |= Q(name__trigram_similar=text)
    return query
