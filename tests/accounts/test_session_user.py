"""Every request's user is read with written-out SQL (accounts.backends.get_user,
decision 0024): whatever the id it is given, it reaches the database only as an
integer parameter, and anything that is not one signs nobody in. (Session contents
are stored on the server; Django itself refuses a non-integer id before the backend.)"""

import pytest

from accounts.backends import UsernameOrMobileBackend

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "hostile", ["1 OR 1=1", "1; DROP TABLE accounts_user", "", None, "-1", "1e3"]
)
def test_a_hostile_user_id_signs_nobody_in(hostile, crm_a):
    assert UsernameOrMobileBackend().get_user(hostile) is None


def test_the_real_user_comes_back_with_the_unread_count(crm_a):
    user = UsernameOrMobileBackend().get_user(str(crm_a.pk))
    assert user == crm_a and user.unread_inbox == 0
