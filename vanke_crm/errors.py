"""Domain refusals shared by every app. Views turn them into a form error or a
message; the API into 400 with the message (404/403 come from org.scoping)."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    default_message = _("This action is not possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)


class IllegalTransition(DomainError):
    default_message = _("This action is not possible in the record's current state.")


class InvalidInput(DomainError):
    """Input that is well-formed but breaks a business rule (dates out of order …)."""

    default_message = _("The data entered breaks a rule; please check it.")
