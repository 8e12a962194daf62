"""The one family of refusals every service raises, and the one place each is turned
into what a person sees (docs/architecture.md, "Where a rule lives"):

- ValidationError (by field) or InvalidInput: the error on the form's field, or the
  API's 400 with the messages by field;
- IllegalTransition (the record's state does not allow it): a form error or message
  (400), the API's 400 `detail`;
- RoleRequired (org.scoping, not allowed): the 403 page with the reason, the API's 403;
- OutOfScope (org.scoping, not found or another company's): the 404 page, the API's 404.

Pages: `vanke_crm.pages.submit` (forms) and `vanke_crm.pages.act` (buttons); the API:
`vanke_crm.api.exception_handler`. Views do not catch refusals themselves."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refusal with a message for the person; `field` names the input it concerns."""

    default_message = _("This action is not possible.")
    status = 400

    def __init__(self, message=None, *, field=None):
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)


class IllegalTransition(DomainError):
    default_message = _("This action is not possible in the record's current state.")


class InvalidInput(DomainError):
    """Input that is well-formed but breaks a business rule (dates out of order …)."""

    default_message = _("The data entered breaks a rule; please check it.")
