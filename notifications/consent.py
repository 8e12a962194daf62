"""Marketing consent (PIPL): a marketing message goes out only to a person whose
consent is on record. Apps that keep consent (customers) register a checker in their
AppConfig.ready(); notifications never imports them.

A checker is `fn(recipient, address) -> bool | None`: True (consented), False (refused
or withdrawn), None (does not know this person)."""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from vanke_crm.errors import DomainError

_checkers: list[Callable] = []


class MarketingConsentMissing(DomainError):
    default_message = _("This person has not consented to marketing messages.")


def register(checker: Callable) -> Callable:
    if checker not in _checkers:
        _checkers.append(checker)
    return checker


def has_marketing_consent(recipient, address) -> bool:
    """Consent must be known and given: one "no" wins, and nobody knowing the person
    is a "no" too."""
    answers = [checker(recipient, address) for checker in _checkers]
    return bool(answers) and False not in answers and True in answers
