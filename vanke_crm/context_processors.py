from django.conf import settings


def shell(request):
    """Navigation state for the base template; cheap (one query, cached per request)."""
    user = getattr(request, "user", None)
    ctx = {"LANGUAGES_CHOICES": settings.LANGUAGES}
    if user is not None and user.is_authenticated and not user.is_owner:
        from notifications.selectors import unread_count
        from vanke_crm.nav import entries_for

        ctx["nav_scope"] = user.scope
        ctx["nav_entries"] = entries_for(user)
        # What the user may open, by entry key: pages link to another app's pages
        # with {% if "disclosures" in nav_keys %} instead of testing role names.
        ctx["nav_keys"] = {entry["key"] for entry in ctx["nav_entries"]}
        ctx["unread_notifications"] = unread_count(user)
    return ctx
