"""Page numbers for long lists without counting every row on every page
(docs/decisions/0019-list-paging.md).

`Paginator` counts exactly up to `EXACT_UP_TO` rows (a count over at most that many
rows, cheap with an index); above that it takes PostgreSQL's planner estimate for the
same filter (EXPLAIN: no row is read) and says so (`count_is_exact` is False, the
pages show "about N"). A page that turns out to be the end corrects the estimate: a
page shorter than a full page gives the exact total, an empty page past the real end
counts once and answers with the last page. An estimate is kept a minute per filter
(its SQL), so the next pages of a large list cost neither the bounded count nor the
EXPLAIN. The customer list, the API's pages and every staff list use it; the
complaints queue copies it.
"""

import hashlib
import json
from functools import cached_property

from django.core import paginator as django_paginator
from django.core.cache import cache
from django.db import connections

EXACT_UP_TO = 1000
ESTIMATE_SECONDS = 60  # an estimate is kept a minute per filter: two queries fewer a page


class Page(django_paginator.Page):
    @property
    def elided_range(self):
        """Numbers around the current page with the first and the last
        (1 2 … 7 8 [9] 10 11 … 40), `Paginator.ELLIPSIS` between them."""
        return self.paginator.get_elided_page_range(self.number, on_each_side=2, on_ends=1)

    @property
    def count_is_exact(self) -> bool:
        return self.paginator.count_is_exact


class Paginator(django_paginator.Paginator):
    exact_up_to = EXACT_UP_TO

    def __init__(self, object_list, per_page, *args, exact_up_to=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if exact_up_to is not None:
            self.exact_up_to = exact_up_to
        self.count_is_exact = True

    def _get_page(self, *args, **kwargs):
        return Page(*args, **kwargs)

    @cached_property
    def count(self):
        queryset = self.object_list
        if not hasattr(queryset, "query") or not hasattr(queryset, "db"):
            return len(queryset)
        key = _estimate_key(queryset)
        estimate = cache.get(key) if key else None
        if estimate is not None:  # a large list a minute ago: still large, roughly this
            self.count_is_exact = False
            return estimate
        bounded = queryset.order_by().values("pk")[: self.exact_up_to + 1].count()
        if bounded <= self.exact_up_to:
            return bounded
        estimate = planner_rows(queryset)
        if estimate is None:
            return queryset.count()
        self.count_is_exact = False
        estimate = max(estimate, bounded)
        if key:
            cache.set(key, estimate, ESTIMATE_SECONDS)
        return estimate

    def _set_exact(self, total: int) -> None:
        self.__dict__["count"] = total
        self.__dict__.pop("num_pages", None)
        self.count_is_exact = True

    def get_page(self, number):
        try:
            return super().get_page(number)
        except django_paginator.EmptyPage:  # past the end an estimate promised
            return self.page(self.num_pages)

    def page(self, number):
        number = self.validate_number(number)
        page = super().page(number)
        if not self.count_is_exact:
            rows = list(page.object_list)
            page.object_list = rows
            bottom = (page.number - 1) * self.per_page
            if len(rows) == self.per_page:
                # At least this many: an estimate below what a page proved is raised.
                if self.count < bottom + len(rows) + 1:
                    self.__dict__["count"] = bottom + len(rows) + 1
                    self.__dict__.pop("num_pages", None)
            elif rows or page.number == 1:
                self._set_exact(bottom + len(rows))
            else:
                # Past the real end (the estimate was high): count once, show the last.
                self._set_exact(self.object_list.count())
                raise django_paginator.EmptyPage(self.error_messages["no_results"])
        return page


def _estimate_key(queryset) -> str | None:
    """The cache key of an estimate: the filter's SQL and parameters (a list above the
    threshold stays above it for a minute; below it, every page counts exactly)."""
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except Exception:  # noqa: BLE001 - an empty or odd queryset simply is not cached
        return None
    digest = hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()[:32]
    return f"paging-estimate:{digest}"


def planner_rows(queryset) -> int | None:
    """PostgreSQL's estimate of how many rows the queryset's filter matches, without
    reading them (EXPLAIN, not ANALYZE). None on other databases."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    plan = queryset.order_by().values("pk").explain(format="json")
    try:
        return int(json.loads(plan)[0]["Plan"]["Plan Rows"])
    except (ValueError, KeyError, IndexError, TypeError):
        return None
