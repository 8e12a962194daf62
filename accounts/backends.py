from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User
from .phone import normalize_mobile


class UsernameOrMobileBackend(ModelBackend):
    """Staff sign in with their username or their mobile number, plus password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        mobile = normalize_mobile(username)
        query = Q(username__iexact=username.strip())
        if mobile:
            query |= Q(mobile=mobile)
        user = User.objects.filter(query).order_by("pk").first()
        if user is None:
            User().set_password(password)  # same cost as a real check (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The user of each request, with their unread inbox count in the same query
        (the top bar shows it on every page)."""
        from django.db.models import Count, Q

        user = (
            User._default_manager.annotate(
                unread_inbox=Count("inbox_items", filter=Q(inbox_items__read_at__isnull=True))
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
