"""API tokens were stored in plaintext (rest_framework.authtoken), so an administrator could act as any supplier.
Each stored token moves into django-rest-knox's table as its SHA-512 hash (the same token keeps working, with the
default expiry from now), and the plaintext row is deleted. The hashing is knox's own (a library, not live code of
this project)."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def move(apps, schema_editor):
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS

    Token = apps.get_model("authtoken", "Token")
    AuthToken = apps.get_model("knox", "AuthToken")
    ttl = settings.REST_KNOX.get("TOKEN_TTL")
    expiry = timezone.now() + ttl if ttl else None
    for token in Token.objects.all().iterator():
        AuthToken.objects.create(
            digest=hash_token(token.key),
            token_key=token.key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=token.user_id,
            expiry=expiry,
        )
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_held_audit_entries"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
