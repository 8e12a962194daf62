"""Sign-in pages: staff (username or mobile + password) and owners (mobile + SMS code,
or mobile + password). Views parse the form, call a service and render."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.forms.forms import NON_FIELD_ERRORS
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_ratelimit.core import get_usage

from . import portal, services
from .exceptions import AccountRefusal, CodesUnavailable, MobileAlreadyRegistered, TooManyCodes
from .forms import (
    MobileForm,
    OwnerCodeLoginForm,
    OwnerPasswordLoginForm,
    OwnerRegisterForm,
    StaffAuthenticationForm,
)
from .models import OneTimeCode
from .phone import mask_mobile

BACKEND = "accounts.backends.UsernameOrMobileBackend"
# Codes cost money and can be used to harass a number: one a minute per number, ten an
# hour per address (the service adds a hard cap per number and hour).
OTP_RATE_PER_MOBILE = "1/m"
OTP_RATE_PER_IP = "10/h"
REGISTER_MOBILE = "owner_register_mobile"
LOGIN_MOBILE = "owner_login_mobile"


class StaffLoginView(auth_views.LoginView):
    """Django's LoginView: login() rotates the session key; `next` must be safe;
    django-axes answers with the locked page (429) after too many failures."""

    template_name = "accounts/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Staff sign-in")}

    def form_invalid(self, form):
        owner = form.has_error(NON_FIELD_ERRORS, "owner_account")
        return self.render_to_response(
            self.get_context_data(form=form), status=403 if owner else 400
        )


class SignOutView(auth_views.LogoutView):
    """POST only (GET answers 405 and changes nothing). Owners land on their sign-in."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_owner:
            self.next_page = "accounts:owner_login"
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have been signed out."))
        return response


def _usage(request, **limit) -> dict:
    usage = get_usage(request, increment=True, **limit)
    if usage["limit"] == 0:  # django-ratelimit's answer when the cache did not count
        raise CodesUnavailable()
    return usage


def _check_code_limits(request, mobile) -> None:
    """One code a minute per number, ten an hour per address; the refusal says which
    limit applies and when to ask again. While the cache (which counts) is down no
    code is sent, and the person is told the service is briefly unavailable (503)."""
    usage = _usage(
        request, group="accounts:otp-mobile", key=lambda _g, _r: mobile, rate=OTP_RATE_PER_MOBILE
    )
    if usage["should_limit"]:
        seconds = max(1, usage["time_left"])
        raise TooManyCodes(
            ngettext(
                "A code was sent to this number less than a minute ago. You can ask for "
                "another one in %(seconds)d second.",
                "A code was sent to this number less than a minute ago. You can ask for "
                "another one in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds}
        )
    usage = _usage(request, group="accounts:otp-ip", key="ip", rate=OTP_RATE_PER_IP)
    if usage["should_limit"]:
        # The hour's window ends in time_left seconds; shown to the minute, rounded up.
        free_at = timezone.localtime() + timedelta(seconds=max(0, usage["time_left"]) + 59)
        raise TooManyCodes(
            _(
                "Too many codes were requested from your network in the last hour. You "
                "can ask for a new code after %(time)s."
            )
            % {"time": free_at.strftime("%H:%M")}
        )


def _send_code(request, form, purpose):
    """Send a code for the form's mobile; on refusal put the message on the form and
    return the status to answer with (None when the code left)."""
    mobile = form.cleaned_data["mobile"]
    try:
        _check_code_limits(request, mobile)
        services.otp_send(mobile=mobile, purpose=purpose)
    except AccountRefusal as exc:
        form.add_error(None if exc.status in (429, 503) else "mobile", exc.message)
        return exc.status
    messages.success(
        request,
        _("We sent a 6-digit code to %(mobile)s. It is valid for a few minutes.")
        % {"mobile": mask_mobile(mobile)},
    )
    return None


def _public(request, template, context, status=200):
    return render(request, f"accounts/{template}", context, status=status)


def owner_register(request):
    """Step 1: the owner's mobile number; a registration code is sent by SMS."""
    if request.user.is_authenticated:
        return redirect("home")
    form = MobileForm(request.POST or None, initial={"mobile": request.GET.get("mobile", "")})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            status = _send_code(request, form, OneTimeCode.Purpose.REGISTER)
            if status is None:
                request.session[REGISTER_MOBILE] = form.cleaned_data["mobile"]
                return redirect("accounts:owner_register_verify")
    return _public(
        request, "owner_register.html", {"form": form, "title": _("Owner registration")}, status
    )


def owner_register_verify(request):
    """Step 2: the code, a name and an optional password; the owner is then signed in."""
    mobile = request.session.get(REGISTER_MOBILE)
    if not mobile:
        return redirect("accounts:owner_register")
    form = OwnerRegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.owner_register(
                    mobile=mobile,
                    code=data["code"],
                    name=data["name"],
                    password=data["password1"] or None,
                )
            except MobileAlreadyRegistered as exc:
                messages.info(request, exc.message)
                return redirect("accounts:owner_login")
            except AccountRefusal as exc:
                form.add_error("code", exc.message)
            else:
                request.session.pop(REGISTER_MOBILE, None)
                _sign_in_owner(request, user)
                messages.success(request, _("Welcome! Your owner account is ready."))
                return redirect("accounts:owner_home")
    context = {"form": form, "masked_mobile": mask_mobile(mobile), "mobile": mobile}
    context["title"] = _("Owner registration")
    return _public(request, "owner_register_verify.html", context, status)


def _owner_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else None


def owner_login(request):
    """Sign-in with a code: "send" sends a code to the number, "login" checks it."""
    if request.user.is_authenticated:
        return redirect("home")
    action = request.POST.get("action", "login")
    initial = {"mobile": request.session.get(LOGIN_MOBILE, "")}
    form = OwnerCodeLoginForm(request.POST or None, action=action, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and action == "send":
            status = _send_code(request, form, OneTimeCode.Purpose.LOGIN)
            if status is None:
                request.session[LOGIN_MOBILE] = form.cleaned_data["mobile"]
                return redirect(request.get_full_path())
        elif form.is_valid():
            data = form.cleaned_data
            try:
                user = services.owner_authenticate(mobile=data["mobile"], code=data["code"])
            except AccountRefusal as exc:
                form.add_error("code", exc.message)
            else:
                _sign_in_owner(request, user)
                return redirect(_owner_next(request) or "accounts:owner_home")
    context = {"form": form, "title": _("Owner sign-in"), "next": _owner_next(request)}
    return _public(request, "owner_login.html", context, status)


def owner_login_password(request):
    """Sign-in with mobile + password (axes counts failures as on the staff page)."""
    if request.user.is_authenticated:
        return redirect("home")
    form = OwnerPasswordLoginForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            user = authenticate(request, username=data["mobile"], password=data["password"])
            if user is None:
                form.add_error(None, _("The mobile number and the password do not match."))
            elif not user.is_owner:
                status = 403
                form.add_error(
                    None, _("This is the owner sign-in. Staff please use the staff sign-in.")
                )
            else:
                _sign_in_owner(request, user)
                return redirect(_owner_next(request) or "accounts:owner_home")
    context = {"form": form, "title": _("Owner sign-in"), "next": _owner_next(request)}
    return _public(request, "owner_login_password.html", context, status)


def _sign_in_owner(request, user):
    login(request, user, backend=BACKEND)
    portal.link_owner(user)


@login_required(login_url="accounts:owner_login")
def owner_home(request):
    """The owner's own page; their units appear once the customers app links them."""
    if not request.user.is_owner:
        return redirect("home")
    context = {
        "title": _("My home"),
        "masked_mobile": mask_mobile(request.user.mobile),
        "sections": portal.sections_for(request),
    }
    return _public(request, "owner_home.html", context)
