"""Re-key the stored fingerprints of bid requests: they were the unkeyed SHA-256 of the canonical bid content, from
which a reader of the database could recover sealed prices by guessing. Each becomes HMAC(key, old value) under a
key derived from the platform's sealing key (outside the database), as procurement.sealing.keyed_digest computes.

The key derivation is copied here, frozen, so that moving or changing the live module never changes this migration.
"""

import base64
import hashlib
import hmac
import os
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import migrations


def _platform_key() -> bytes:
    if settings.BID_SEALING_KEY:
        return base64.b64decode(settings.BID_SEALING_KEY)
    path = settings.BID_SEALING_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(base64.b64encode(secrets.token_bytes(32)))
    return base64.b64decode(path.read_bytes())


def rekey(apps, schema_editor):
    BidVersion = apps.get_model("procurement", "BidVersion")
    if not BidVersion.objects.exists():
        return
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vbp-keyed:bid-request").derive(_platform_key())
    changed = []
    for version in BidVersion.objects.only("pk", "request_hash").iterator(chunk_size=2000):
        version.request_hash = hmac.new(key, version.request_hash.encode(), hashlib.sha256).hexdigest()
        changed.append(version)
        if len(changed) == 2000:
            BidVersion.objects.bulk_update(changed, ["request_hash"])
            changed = []
    BidVersion.objects.bulk_update(changed, ["request_hash"])


class Migration(migrations.Migration):
    dependencies = [("procurement", "0008_bid_unreadable_reason")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
