"""Signing the credit commitment (承诺书) for a round: the precondition of bidding, sealed with the supplier's
bids until the opening (``procurement.participation``). The text in force is the credit app's."""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from credit.models import Commitment
from credit.services import current_commitment_text

from .. import participation
from ..exceptions import ProcurementError


def commitment_sign(*, actor, tender_round) -> Commitment:
    """The supplier accepts the commitment for a round, in the name of its legal entity. Signing twice is harmless.

    Who signed is who intends to bid: until the round's opening the signature lives in the supplier's sealed part
    in the round (``procurement.participation``), written out as a ``Commitment`` row and its audit row at the
    opening. Returns the commitment (unsaved before the opening)."""
    if not access.is_supplier_user(actor):
        raise ProcurementError(_("Only a supplier signs the credit commitment."), code="not_supplier")
    if participation.written_out(tender_round):
        return _sign_opened(actor, tender_round)
    with transaction.atomic():
        slot, state = participation.locked(tender_round, actor.organisation_id)
        if not state["commitment"]:
            text = current_commitment_text()
            state["commitment"] = {
                "id": str(uuid.uuid4()),
                "text": text.pk,
                "sha256": text.sha256,
                "by": actor.pk,
                "at": timezone.now().isoformat(),
            }
            participation.store(tender_round, slot, state)
    return participation.own_part(tender_round, actor.organisation_id).commitment


def _sign_opened(actor, tender_round) -> Commitment:
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
    return participation.own_part(tender_round, supplier.pk).commitment is not None
