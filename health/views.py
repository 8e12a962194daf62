from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .checks import run_checks


@never_cache
@require_safe
def healthz(request):
    """JSON status of database, broker, cache and worker heartbeat; 503 if any is down."""
    report = run_checks()
    status = 200 if report["status"] == "ok" else 503
    return JsonResponse(report, status=status)
