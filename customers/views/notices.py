"""The manager dashboard's notice of cancellations awaiting approval (registered in
apps.py through org.panels)."""

from ..models import Ownership
from ..services.access import APPROVERS


def cancellations_panel(request):
    """Count and link for managers; hidden for anyone who may not decide."""
    user = request.user
    if not user.scope.has_role(*APPROVERS):
        return None
    waiting = Ownership.objects.for_user(user).filter(status=Ownership.Status.CANCEL_PENDING)
    return "customers/partials/cancellations_panel.html", {"waiting": waiting.count()}
