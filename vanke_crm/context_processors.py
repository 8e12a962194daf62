from django.conf import settings


def shell(request):
    """Navigation state for the base template; cheap (one query, cached per request)."""
    user = getattr(request, "user", None)
    ctx = {"LANGUAGES_CHOICES": settings.LANGUAGES}
    if user is not None and user.is_authenticated and not user.is_owner:
        from notifications.selectors import unread_count

        ctx["nav_scope"] = user.scope
        ctx["unread_notifications"] = unread_count(user)
    return ctx
