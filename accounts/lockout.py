"""The name django-axes counts failed sign-ins under: the account, whichever of its
identifiers was typed (docs/decisions/0004-login-lockout.md)."""

from django.db.models import Q

from .phone import normalize_mobile, sign_in_name


def account_key(typed: str | None) -> str:
    """ "crm_a", "CRM_A", "138 1234 5678" and "+8613812345678" of one account are one
    key (the account's username), so locking it by one identifier locks the others.
    Text that names no account is counted as typed, in one spelling."""
    from .models import User

    raw = (typed or "").strip()
    mobile = normalize_mobile(raw)
    query = Q(username__iexact=raw) if raw else Q(pk__in=[])
    if mobile:
        query |= Q(mobile=mobile)
    username = User.objects.filter(query).order_by("pk").values_list("username", flat=True).first()
    if username:
        return sign_in_name(username)
    return mobile or sign_in_name(raw)


def lockout_username(request, credentials=None) -> str:
    """AXES_USERNAME_CALLABLE: called with the credentials of authenticate(), or with
    the request alone (then the form's username field)."""
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "POST", {}).get("username")
    return account_key(typed)
