"""State changes of the credit app: signing the credit commitment."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit

from ..exceptions import CreditError
from ..models import Commitment, CommitmentText


def current_commitment_text() -> CommitmentText:
    text = CommitmentText.objects.filter(effective_from__lte=timezone.localdate()).first()
    if text is None:
        raise CreditError(_("No commitment text is in force."), code="no_commitment_text")
    return text


def commitment_sign(*, actor, tender_round) -> Commitment:
    """The supplier accepts the commitment for a round, in the name of its legal entity. Signing twice is harmless."""
    if not access.is_supplier_user(actor):
        raise CreditError(_("Only a supplier signs the credit commitment."), code="not_supplier")
    existing = Commitment.objects.filter(supplier_id=actor.organisation_id, round=tender_round).first()
    if existing:
        return existing
    text = current_commitment_text()
    try:
        with transaction.atomic():
            commitment = Commitment.objects.create(
                supplier_id=actor.organisation_id,
                round=tender_round,
                text=text,
                text_sha256=text.sha256,
                signed_by=actor,
                signed_at=timezone.now(),
            )
            audit.record(
                actor=actor,
                action="commitment.sign",
                instance=commitment,
                after={"round": tender_round.code, "text_version": text.version, "text_sha256": text.sha256},
            )
    except IntegrityError:
        return Commitment.objects.get(supplier_id=actor.organisation_id, round=tender_round)
    return commitment


def has_commitment(*, supplier, tender_round) -> bool:
    return Commitment.objects.filter(supplier=supplier, round=tender_round).exists()
