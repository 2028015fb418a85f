"""Checks every uploaded evidence file passes before it is stored: size, name and the file's own signature."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Documents a penalty decision, judgment, tip or repair is evidenced by, and the bytes each kind starts with.
EVIDENCE_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".ofd": (b"PK\x03\x04",),  # the national OFD format is a zip container
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def validate_evidence(upload) -> None:
    """Refuse files over the upload limit, of another kind, or whose content is not what their name says."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("The file is larger than the upload limit."), code="too_large")
    name = upload.name.lower()
    extension = next((ext for ext in EVIDENCE_SIGNATURES if name.endswith(ext)), None)
    if extension is None:
        raise ValidationError(_("Upload a PDF, OFD, Word (.docx), Excel (.xlsx), PNG or JPEG file."), code="type")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if not head.startswith(EVIDENCE_SIGNATURES[extension]):
        raise ValidationError(_("The file's content does not match its type."), code="signature")
