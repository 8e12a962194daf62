from django.http import JsonResponse

from .checks import run_checks


def healthz(request):
    """JSON status of database, cache/broker and worker heartbeat; 503 if any is down."""
    report = run_checks()
    status = 200 if report["status"] == "ok" else 503
    return JsonResponse(report, status=status)
