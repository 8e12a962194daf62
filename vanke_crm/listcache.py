"""Rendered list pages from the cache, moved on by every write (docs/decisions/0024).

A list page (a staff list's results, an API list page) is a function of the rows it
reads, the reader's scope (companies, roles), the language and the query string. The
rows change only through writes, so each company has a data version that every write
to a tracked model moves on after commit; a cached page is stored under the versions
of the companies it shows and is simply never found again once one of them moved.

    listcache.track(Customer, "company_id")        # in AppConfig.ready()
    listcache.track(Unit, "building__project__company_id")

    html = listcache.cached(
        request, "customers:list", companies=scope_companies(user), build=render_rows
    )

Writes that bypass model signals (`QuerySet.update`, `bulk_create`) call
`listcache.touch(company_id, …)` themselves; entries also expire after TTL seconds,
which bounds the staleness of any write that was missed. With the cache down, every
request builds its page as if nothing were cached.
"""

import hashlib
import logging
import time
import zlib

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

TTL = 120  # seconds: the longest a page could be stale after an untracked write
ALL = "all"  # the group-wide version: moves with every company's
_tracked: dict = {}


def _version_key(company) -> str:
    return f"listcache:v:{company}"


def touch(*company_ids) -> None:
    """Move the data version of these companies (and the group-wide one) on, now and
    again after the current transaction commits: a page built between the two from
    rows read before the commit is stored under a version the second move retires."""
    _bump({_version_key(ALL)} | {_version_key(c) for c in company_ids if c is not None})


def _bump(keys) -> None:
    def bump():
        for key in keys:
            try:
                cache.incr(key)
            except ValueError:  # not there yet (or evicted): a value never used before
                cache.set(key, _fresh(), None)
            except Exception:  # noqa: BLE001 - a cache outage: entries expire by TTL
                logger.warning("list cache: could not move %s on", key)

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def _company_of(instance, path: str):
    value = instance
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def track(model, company_path: str) -> None:
    """Every save and delete of `model` moves its company's version on.
    `company_path` leads from an instance to its company id ("company_id",
    "building__project__company_id")."""
    if model in _tracked:
        return
    _tracked[model] = company_path

    def changed(sender, instance, **kwargs):
        touch(_company_of(instance, company_path))

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"listcache-{model}")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"listcache-{model}-d")


def _fresh() -> int:
    """A starting version no earlier one can equal (an evicted counter must not come
    back at a value an old page was stored under)."""
    return time.time_ns() // 1000


def _versions(companies) -> tuple:
    return _versions_of(
        [_version_key(ALL)] if companies is None else [_version_key(c) for c in companies]
    )


def _versions_of(keys) -> tuple:
    try:
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                cache.add(key, _fresh(), None)
                found[key] = cache.get(key)
    except Exception:  # noqa: BLE001 - treated like an empty cache
        return ()
    if any(value is None for value in found.values()):
        return ()  # a cache that keeps nothing (or is down): build every time
    return tuple(found[key] for key in keys)


_code_marks: dict = {}


def _code_mark(build) -> int:
    """A checksum of the build function's code: a page cached by an older release of
    the code (another shape, other columns) is never read by a newer one."""
    code = getattr(build, "__code__", None)
    if code is None:
        return 0
    mark = _code_marks.get(code)
    if mark is None:
        names = repr((code.co_names, code.co_varnames, code.co_firstlineno)).encode()
        mark = _code_marks[code] = zlib.crc32(code.co_code + names)
    return mark


def scope_signature(user) -> tuple:
    """What a page built from the scoped rows may depend on: the companies and the
    roles, not the person (so colleagues share one cached page)."""
    scope = user.scope
    return (scope.sees_all, tuple(sorted(scope.company_ids)), tuple(sorted(scope.roles)))


def cached(request, name: str, *, companies, build, extra=(), vary_on_query=True):
    """The page `build()` returns, from the cache when nothing it shows has changed.
    `companies`: the company ids the page reads (None: every company). `extra`: any
    other input of the page the key must hold. `build()` must return something
    picklable that depends only on the rows, the scope, the language, the query
    string (unless `vary_on_query` is False) and `extra`."""
    companies = None if companies is None else sorted(companies)
    versions = _versions(companies)
    if not versions:
        return build()
    raw = repr(
        (
            name,
            _code_mark(build),
            companies,
            versions,
            scope_signature(request.user),
            get_language(),
            sorted(request.GET.lists()) if vary_on_query else None,
            extra,
        )
    )
    return _stored("listcache:page:", raw, name, build)


def _stored(prefix: str, raw: str, name: str, build):
    """The value stored under the key of `raw`, else `build()`'s, stored for TTL (a
    cache outage builds every time)."""
    key = prefix + hashlib.sha256(raw.encode()).hexdigest()[:40]
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001
        value = None
    if value is not None:
        return value
    value = build()
    try:
        cache.set(key, value, TTL)
    except Exception:  # noqa: BLE001
        logger.warning("list cache: could not store %s", name)
    return value


def companies_of(user):
    """The companies a scoped page of this user reads (None: every company)."""
    scope = user.scope
    return None if scope.sees_all else scope.company_ids


# --- one record's page parts ---------------------------------------------------------
#
# A record's page (a case with its tasks, photos, notes and history) is cached in parts
# under the record's own version, which every write to the record or to what belongs to
# it moves on, so a colleague's write elsewhere in the company leaves it cached. What the
# parts show of other records (the names of people and departments) moves on the
# version every part is also stored under (`track_names`).

PARTS = "parts"  # every record's parts: moved on by a rename, a bulk load


def _object_key(kind: str, pk) -> str:
    return f"listcache:v:{kind}:{pk}"


def touch_objects(kind: str, *pks) -> None:
    """Move the version of these records (`kind`, as `track_object` named it) on, now
    and after commit: for writes that send no signal (`QuerySet.update`, raw SQL)."""
    _bump({_object_key(kind, pk) for pk in pks if pk is not None})


def touch_every_object() -> None:
    """Retire every record's cached parts (a rename, a bulk load)."""
    _bump({_version_key(PARTS)})


def track_object(model, kind: str, path: str = "pk") -> None:
    """Every save and delete of `model` moves on the version of the record it belongs
    to: `path` leads from an instance to that record's pk ("pk", "case_id")."""
    uid = f"listcache-part-{kind}-{model._meta.label}"

    def changed(sender, instance, **kwargs):
        touch_objects(kind, _company_of(instance, path))

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-d")


def track_names(model, fields) -> None:
    """A save of `model` that may change one of `fields` (the names the parts show), or
    a delete, retires every record's parts; a save of other fields only (a sign-in's
    `last_login`) leaves them."""
    fields = frozenset(fields)
    uid = f"listcache-names-{model._meta.label}"

    def saved(sender, instance, created=False, update_fields=None, **kwargs):
        if created:
            return  # a new name is in no part yet
        if update_fields is None or fields & set(update_fields):
            touch_every_object()

    def deleted(sender, instance, **kwargs):
        touch_every_object()

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}-d")


def cached_parts(name: str, *, record: tuple, build, extra=()):
    """What `build()` returns for one record (`record` = (kind, pk)), from the cache while
    neither the record nor any name it shows has changed. `build()` must return
    something picklable that depends only on the record and what belongs to it, the
    names of people and departments, the language, the time zone and `extra`."""
    from django.utils import timezone

    versions = _versions_of([_version_key(PARTS), _object_key(*record)])
    if not versions:
        return build()
    raw = repr(
        (
            name,
            _code_mark(build),
            record,
            versions,
            get_language(),
            timezone.get_current_timezone_name(),
            extra,
        )
    )
    return _stored("listcache:part:", raw, name, build)
