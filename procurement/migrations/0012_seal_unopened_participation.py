"""Bids, bid versions and commitments of rounds not yet opened move into the sealed participation rows
(procurement/participation.py); every published round gets a row for each possible bidder. The audit rows that were
held until the opening are written again from the versions at the opening, so the held table can go."""

import base64

from django.conf import settings
from django.db import migrations


def seal_unopened(apps, schema_editor):
    from procurement import sealing
    from procurement.participation import _aad, empty_state, token

    TenderRound = apps.get_model("procurement", "TenderRound")
    Bid = apps.get_model("procurement", "Bid")
    BidVersion = apps.get_model("procurement", "BidVersion")
    Participation = apps.get_model("procurement", "Participation")
    Product = apps.get_model("procurement", "Product")
    Commitment = apps.get_model("credit", "Commitment")
    for tender_round in TenderRound.objects.filter(opened_at__isnull=True).exclude(status="draft"):
        states = {}

        def state(supplier_id):
            return states.setdefault(supplier_id, empty_state(supplier_id))

        for holder in Product.objects.filter(groups__round=tender_round).values_list("holder_id", flat=True):
            state(holder)
        for commitment in Commitment.objects.filter(round=tender_round):
            state(commitment.supplier_id)["commitment"] = {
                "id": str(commitment.public_id),
                "text": commitment.text_id,
                "sha256": commitment.text_sha256,
                "by": commitment.signed_by_id,
                "at": commitment.signed_at.isoformat(),
            }
        bids = list(Bid.objects.filter(round=tender_round))
        for bid in bids:
            current = None
            for version in BidVersion.objects.filter(bid=bid).order_by("number"):
                state(bid.supplier_id)["versions"].append(
                    {
                        "id": str(version.public_id),
                        "group": bid.group_id,
                        "number": version.number,
                        "action": version.action,
                        "at": version.submitted_at.isoformat(),
                        "by": version.submitted_by_id,
                        "receipt": version.receipt_hash,
                        "key": version.idempotency_key,
                        "request": version.request_hash,
                    }
                )
                current = version
            state(bid.supplier_id)["bids"][str(bid.group_id)] = {
                "status": bid.status,
                "current": bid.current_version,
                "at": (bid.last_submitted_at or current.submitted_at).isoformat(),
                "content": base64.b64encode(bytes(current.sealed_content)).decode()
                if current is not None and current.sealed_content
                else None,
            }
        for supplier_id, content in states.items():
            slot_token = token(tender_round, supplier_id)
            aad = _aad(tender_round, slot_token)
            Participation.objects.create(
                round=tender_round,
                token=slot_token,
                state=sealing.seal_state(tender_round, content, aad, settings.PARTICIPATION_STATE_BYTES),
            )
        BidVersion.objects.filter(bid__in=bids).delete()
        Bid.objects.filter(pk__in=[bid.pk for bid in bids]).delete()
        Commitment.objects.filter(round=tender_round).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0011_sealed_participation"),
        ("credit", "0007_commitment_public_id"),
    ]

    operations = [migrations.RunPython(seal_unopened, migrations.RunPython.noop)]
