"""API token authentication: django-rest-knox tokens, of which only a hash (SHA-512) is stored, so that nobody who
reads the database or the admin can act as another user. The user's organisation comes with the token: every scoped
API call reads it (a supplier's bids, a hospital's reports), so it is loaded in the token's query."""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions


class HashedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token):
        message = _("Invalid token.")
        try:
            token = token.decode("utf-8")
            digest = hash_token(token)
        except (UnicodeDecodeError, TypeError, ValueError, binascii.Error):
            raise exceptions.AuthenticationFailed(message) from None
        candidates = AuthToken.objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related(
            "user__organisation"
        )
        for auth_token in candidates:
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                raise exceptions.AuthenticationFailed(_("The token has expired: ask for a new one."))
            if not auth_token.user.is_active:
                raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
            return auth_token.user, auth_token
        raise exceptions.AuthenticationFailed(message)


class HashedTokenScheme(KnoxTokenScheme):
    """How the OpenAPI schema describes the token header (``Authorization: Token …``)."""

    target_class = "accounts.api.authentication.HashedTokenAuthentication"
    name = "tokenAuth"
