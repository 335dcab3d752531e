"""Domain errors: raised by services, turned into clear translated messages by views and API."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused business action. `message` is shown to the user as it is (translated)."""

    code = "domain_error"
    status = 400

    def __init__(self, message: object = None, **params: object) -> None:
        self.message = message if message is not None else self.default_message
        self.params = params
        super().__init__(str(self.message))

    default_message = _("This action is not allowed.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You do not have permission to do this.")


class NotFound(DomainError):
    """Missing and out-of-scope objects are the same to the user."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")


class IllegalTransition(DomainError):
    code = "illegal_transition"
    status = 409
    default_message = _("This action is not possible in the current state.")


class ConcurrentUpdate(DomainError):
    code = "conflict"
    status = 409
    default_message = _("Someone else changed this record just now. Reload it and try again.")


class InvalidInput(DomainError):
    code = "invalid"
    status = 400
    default_message = _("The input is not valid.")
