"""What the customers app contributes to the owner portal (accounts.portal)."""

from django.db.models import Q

from .models import Customer, Ownership


def link_owner_account(user) -> int:
    """Link an owner's account to every customer record with their mobile that is not
    linked yet (idempotent). The mobile was proven by an SMS code at registration."""
    if not user.mobile:
        return 0
    return (
        Customer.objects.active()
        .filter(mobile=user.mobile)
        .filter(Q(user__isnull=True))
        .update(user=user)
    )


def owner_units_section(request):
    rows = (
        Ownership.objects.filter(
            customer__user=request.user,
            customer__merged_into__isnull=True,
            status__in=Ownership.ACTIVE,
        )
        .select_related("unit__building__project__company")
        .order_by("subscribed_on")
    )
    return "customers/portal/units.html", {"ownerships": list(rows)}


def workbench_panel(request):
    """Company CRM staff's customer work for today: visits, revisits, cancellations."""
    import datetime

    from django.utils import timezone

    from .models import RevisitTask, Visit

    user = request.user
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    visits = Visit.objects.for_user(user).filter(visited_at__gte=start)
    return "customers/portal/workbench.html", {
        "visits_today": visits.count(),
        "first_visits_today": visits.filter(is_first=True).count(),
        "revisits_due": RevisitTask.objects.for_user(user)
        .filter(status=RevisitTask.Status.OPEN, due_on__lte=today)
        .count(),
        "cancellations": Ownership.objects.for_user(user)
        .filter(status=Ownership.Status.CANCEL_PENDING)
        .count(),
    }
