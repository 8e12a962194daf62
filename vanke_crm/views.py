from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

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


def bad_request(request, exception=None):
    return render(request, "400.html", {"title": _("Bad request")}, status=400)


def permission_denied(request, exception=None):
    message = str(exception) if exception is not None and str(exception) else ""
    return render(
        request, "403.html", {"title": _("Not allowed"), "exception": message}, status=403
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", {"title": _("Page not found")}, status=404)


def server_error(request):
    # No context processors: the database may be the reason we are here.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({}))
