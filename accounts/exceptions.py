"""Refusals of the accounts services. Each carries a translated message for the user;
views show it next to the form, the API returns it with `status`."""

from django.utils.translation import gettext_lazy as _

from vanke_crm.errors import DomainError


class AccountRefusal(DomainError):
    default_message = _("This request cannot be completed.")
    status = 400


class InvalidMobile(AccountRefusal):
    default_message = _("Enter a valid mainland China mobile number, e.g. 138 1234 5678.")


class MobileAlreadyRegistered(AccountRefusal):
    default_message = _("This mobile number is already registered. Please sign in instead.")


class NotRegistered(AccountRefusal):
    default_message = _("No owner account uses this mobile number. Please register first.")


class CodeRefused(AccountRefusal):
    """Wrong, expired, used or exhausted one-time code."""

    default_message = _("The code is not correct.")


class TooManyCodes(AccountRefusal):
    """A rate limit on codes; the message names the limit and when to ask again."""

    default_message = _(
        "Too many codes were requested for this number. Please wait a while and try again."
    )
    status = 429


class CodesUnavailable(AccountRefusal):
    """The limits cannot be counted (the cache is down): no code is sent unchecked."""

    default_message = _(
        "Sending codes is briefly unavailable. Nothing was sent; please try again in a few minutes."
    )
    status = 503


class OwnerNotAllowed(AccountRefusal):
    default_message = _("Owner accounts cannot use the staff API.")
    status = 403
