"""Sealed bids (密封投标): encryption at rest by the application, and receipts.

Each round's key is derived (HKDF-SHA256) from the platform's sealing key, which is kept outside the database
(``BID_SEALING_KEY`` or a key file), and the round's random salt. Bid content is encrypted with AES-GCM; the
associated data binds a ciphertext to its round, group, supplier and version, so a ciphertext cannot be moved to
another bid. Decryption refuses before the round's opening time by the server clock, and every refusal is audited.

A receipt hash is SHA-256 over the canonical JSON of the bid content including a random salt, so the price cannot
be guessed from the hash; the supplier keeps it and checks it against the published opening table.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
import zlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import ProcurementError


class SealedUntilOpening(ProcurementError):
    """Someone tried to read a bid before the opening time."""


def _platform_key() -> bytes:
    if settings.BID_SEALING_KEY:
        key = base64.b64decode(settings.BID_SEALING_KEY)
    else:
        path = settings.BID_SEALING_KEY_FILE
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(base64.b64encode(secrets.token_bytes(32)))
        key = base64.b64decode(path.read_bytes())
    if len(key) != 32:
        raise RuntimeError("the bid sealing key must be 32 bytes (base64-encoded)")
    return key


def keyed_digest(purpose: str, text: bytes) -> str:
    """HMAC-SHA-256 under a key derived from the platform's sealing key for this purpose: for values derived from
    sealed content that must be compared later (a retried request's fingerprint), so that someone who reads the
    database without the key cannot test guessed prices against them."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vbp-keyed:" + purpose.encode()).derive(
        _platform_key()
    )
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def new_round_salt() -> str:
    return secrets.token_hex(32)


def _round_key(round_code: str, salt: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=bytes.fromhex(salt), info=b"vbp-bid-seal:" + round_code.encode()
    ).derive(_platform_key())


def associated_data(*, round_code: str, group_code: str, supplier_code: str, version: int) -> bytes:
    return f"{round_code}|{group_code}|{supplier_code}|{version}".encode()


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def receipt_hash(content: dict) -> str:
    """SHA-256 of the canonical content (which carries a random salt and the identity of the bid)."""
    return hashlib.sha256(canonical(content)).hexdigest()


def seal(tender_round, content: dict, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(_round_key(tender_round.code, tender_round.sealing_salt)).encrypt(
        nonce, canonical(content), aad
    )


def _state_key(tender_round) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=bytes.fromhex(tender_round.sealing_salt),
        info=b"vbp-participation:" + tender_round.code.encode(),
    ).derive(_platform_key())


def seal_state(tender_round, state: dict, aad: bytes, size: int) -> bytes:
    """Encrypt a participation state padded to exactly ``size`` bytes of plaintext, so that every row of every
    supplier has the same length whatever it holds (compressed first: the padding hides the compressed length).
    Raises ``OverflowError`` when the state does not fit."""
    packed = zlib.compress(canonical(state), 9)
    if len(packed) + 4 > size:
        raise OverflowError(len(packed))
    plain = len(packed).to_bytes(4, "big") + packed + bytes(size - 4 - len(packed))
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(_state_key(tender_round)).encrypt(nonce, plain, aad)


def open_state(tender_round, blob: bytes, aad: bytes) -> dict:
    """The application's reading of a participation state (whose bid contents stay sealed until the opening)."""
    blob = bytes(blob)
    plain = AESGCM(_state_key(tender_round)).decrypt(blob[:12], blob[12:], aad)
    length = int.from_bytes(plain[:4], "big")
    return json.loads(zlib.decompress(plain[4 : 4 + length]))


def unseal(tender_round, blob: bytes, aad: bytes, *, actor=None) -> dict:
    """Decrypt one bid. Refused (and audited) before the opening time."""
    if timezone.now() < tender_round.opening_at:
        from accounts import audit

        audit.record(actor=actor, action="bid.unseal_refused", instance=tender_round, reason="before the opening time")
        raise SealedUntilOpening(_("Bids stay sealed until the opening time."), code="sealed")
    blob = bytes(blob)
    plain = AESGCM(_round_key(tender_round.code, tender_round.sealing_salt)).decrypt(blob[:12], blob[12:], aad)
    return json.loads(plain)
