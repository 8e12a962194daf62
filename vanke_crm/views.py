from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from org.models import Role

ROLE_HOME = {
    Role.GROUP_CRM: "org:group_home",
    Role.COMPANY_CRM: "org:workbench",
    Role.MANAGER: "org:dashboard",
    Role.HANDLER: "org:my_tasks",
}


@login_required
def home(request):
    """Each user lands on their role's home page."""
    user = request.user
    if user.is_owner:
        return redirect("accounts:owner_home")
    role = user.scope.primary_role
    if role is None:
        return render(request, "shell/no_role.html", {"title": _("No role yet")}, status=403)
    return redirect(ROLE_HOME[role])


def ratelimited(request, exception=None):
    return render(request, "429.html", {"title": _("Too many requests")}, status=429)


@require_safe
def favicon(request):
    return redirect(static("favicon.svg"), permanent=True)
