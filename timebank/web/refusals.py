"""A service's refusal shown on the form that asked: beside its field, or in the summary."""
from __future__ import annotations

from collections.abc import Callable, Mapping

from timebank.domain.errors import IdempotencyKeyReusedWithOtherDetails, TimebankError
from timebank.web.forms import KEY_REUSED, new_key

__all__ = ["add_error", "place", "told"]

# Answered as a page by `timebank.web.errors`: the record asked for is not there, or not
# this person's; no change to the form would help.
_NOT_THE_FORMS = (403, 404)


def add_error(field, message: str) -> None:
    field.errors = list(field.errors) + [message]


def place(form, error: TimebankError, fields: Mapping[type, str] | None = None,
          words: Callable[[TimebankError], str] | None = None) -> None:
    """Put `error` beside the field `fields` names for its class (the most specific class
    listed wins), or in the form's summary; `words` gives its message in the reader's
    words (a member's: `timebank.domain.members_words`).

    A refusal that means "no such record" or "not yours" and names no field is raised
    again, for the one place that maps errors to HTTP statuses.
    """
    for kind in type(error).__mro__:
        name = (fields or {}).get(kind)
        if name is not None and name in form:
            add_error(form[name], words(error) if words else error.message)
            return
    told(error)
    if isinstance(error, IdempotencyKeyReusedWithOtherDetails):
        # This copy of the form recorded other details first: the next send is a new one.
        form.form_errors.append(KEY_REUSED)
        form.idempotency_key.data = new_key()
        return
    form.form_errors.append(words(error) if words else error.message)


def told(error: TimebankError) -> str:
    """The message of a refusal to tell the person (in a flash, or a form's summary).

    A refusal that means "no such record" or "not yours" is raised again instead.
    """
    if error.http_status in _NOT_THE_FORMS:
        raise error
    return error.message
