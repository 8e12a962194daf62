import hmac

from django.conf import settings
from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .checks import run_checks


def may_see_details(request) -> bool:
    """Staff, or a monitor sending `Authorization: Bearer <HEALTHZ_TOKEN>`. Anyone else
    learns only whether the product is up: which component is down (and the worker's
    last heartbeat) helps an attacker time an attack and is nobody else's business."""
    try:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.scope.is_staff_member:
            return True
    except DatabaseError:  # the session or the user cannot be read: the database is down
        pass
    token = settings.HEALTHZ_TOKEN
    sent = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


@never_cache
@require_safe
def healthz(request):
    """JSON status of database, broker, cache and worker heartbeat; 503 if any is down.
    Anonymous callers (load balancers) get `{"status": …}` only."""
    report = run_checks()
    status = 200 if report["status"] == "ok" else 503
    if not may_see_details(request):
        report = {"status": report["status"]}
    return JsonResponse(report, status=status)
