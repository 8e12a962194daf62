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
