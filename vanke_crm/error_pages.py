"""The product's own error pages: handler400/403/404/500 (docs/decisions/0011).

400, 403 and 404 render inside the shell (navigation, language switch) when they can.
When that fails — the static manifest is missing, the database is down, a context
processor raises — they fall back to the self-contained page 500 always uses: a plain
context, no static lookups, no database, no user. An error page never turns into a
second error."""

import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Last resort if even the plain template cannot be loaded (a broken template setting).
BARE_PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
BARE_PAGE += '<body><h1>{title}</h1><p>{message}</p><p><a href="/">{home}</a></p></body></html>'


def bad_request(request, exception=None):
    return _shell_page(
        request,
        "400.html",
        status=400,
        title=_("Bad request"),
        message=_("The request could not be understood. Please go back and try again."),
    )


def permission_denied(request, exception=None):
    reason = str(exception) if exception is not None and str(exception) else ""
    return _shell_page(
        request,
        "403.html",
        status=403,
        title=_("Not allowed"),
        message=reason or _("Your role does not allow this action."),
        context={"exception": reason},
    )


def page_not_found(request, exception=None):
    return _shell_page(
        request,
        "404.html",
        status=404,
        title=_("Page not found"),
        message=_("The page you asked for does not exist, or you have no access to it."),
    )


def server_error(request):
    # Never the shell: the database, the cache or the static files may be why we are here.
    return plain_page(
        request,
        status=500,
        title=_("Server error"),
        message=_(
            "Something went wrong on our side. The error has been logged; "
            "please try again in a moment."
        ),
    )


def _shell_page(request, template, *, status, title, message, context=None):
    try:
        response = render(request, template, {"title": title, **(context or {})}, status=status)
    except Exception:
        logger.exception("The %s page could not render in the shell; serving the plain one", status)
        return plain_page(request, status=status, title=title, message=message)
    if request.headers.get("HX-Request") == "true":
        # A refused htmx action: the page's content becomes the error page's (with the
        # reason), not the small part the action meant to swap (base.html's htmx-config).
        response["HX-Retarget"] = response["HX-Reselect"] = "main.page"
        response["HX-Reswap"] = "outerHTML"
    return response


def plain_page(request, *, status, title, message):
    """The self-contained page (templates/500.html), rendered without a request."""
    context = {"title": title, "message": message, "nonce": _csp_nonce(request)}
    try:
        html = loader.get_template("500.html").render(context)
    except Exception:
        logger.exception("The plain error page could not render")
        html = BARE_PAGE.format(
            title=escape(title), message=escape(message), home=escape(_("Back to the home page"))
        )
    return HttpResponse(html, status=status)


def _csp_nonce(request) -> str:
    """The nonce for the page's inline style; none when the CSP middleware has not run
    (its header will not be sent either) or has already written its header."""
    try:
        return str(request.csp_nonce)
    except Exception:
        return ""
