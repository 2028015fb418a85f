"""State changes of organisations, each audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .exceptions import AccountsError
from .models import Organisation

ORGANISATION_FIELDS = [
    "kind", "code", "name", "region", "hospital_level", "ownership",
    "licence_number", "licence_scope", "licence_expires",
    "address", "contact_name", "contact_phone", "contact_email", "is_active",
]  # fmt: skip


def _validated(organisation: Organisation) -> Organisation:
    try:
        organisation.full_clean()
    except ValidationError as error:
        messages = [f"{field}: {' '.join(errors)}" for field, errors in error.message_dict.items()]
        raise AccountsError("; ".join(messages), code="invalid_organisation") from None
    return organisation


@transaction.atomic
def organisation_create(*, actor, **values) -> Organisation:
    """Register a supplier, hospital or authority on the platform."""
    organisation = _validated(Organisation(**values))
    organisation.save()
    audit.record(
        actor=actor,
        action="organisation.create",
        instance=organisation,
        after=audit.snapshot(organisation, ORGANISATION_FIELDS),
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **values) -> Organisation:
    """Change an organisation's registration data; its kind never changes once users and products hang on it."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = audit.snapshot(organisation, ORGANISATION_FIELDS)
    if "kind" in values and values["kind"] != organisation.kind:
        raise AccountsError(_("The kind of an organisation cannot be changed."), code="kind_fixed")
    for name, value in values.items():
        setattr(organisation, name, value)
    _validated(organisation)
    after = audit.snapshot(organisation, ORGANISATION_FIELDS)
    if before != after:
        organisation.save()
        audit.record(actor=actor, action="organisation.update", instance=organisation, before=before, after=after)
    return organisation


# API tokens (django-rest-knox): only their hashes are stored; a user sees and revokes their own.


def api_tokens_of(user):
    """The user's own API tokens, newest first: the key's first characters, when issued, when it expires."""
    from knox.models import AuthToken

    return AuthToken.objects.filter(user=user).order_by("-created")


def api_token_revoke(*, actor, key: str) -> None:
    """Revoke one of the actor's own tokens, named by its key (the first 15 characters of the token)."""
    from knox.models import AuthToken

    with transaction.atomic():
        token = AuthToken.objects.select_for_update().filter(user=actor, token_key=key).first()
        if token is None:
            raise AccountsError(_("You have no API token with this key."), code="no_token")
        token.delete()
        audit.record(actor=actor, action="api_token.revoke", instance=actor, before={"token": key[:8]})
