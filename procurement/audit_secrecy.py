"""What the audit log withholds until a round's opening time: before it even the names of bidders and the number
of bids are secret, so the entries of bids and commitments of unopened rounds are not shown to anyone. Registered
with ``accounts.models`` when the app is ready; every reader of the log (pages, API, admin, exports) goes through
``AuditEntry.objects.visible_now()``."""

from django.db.models import Q
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

# Audit actions that reveal who takes part in a round (``after["round"]`` holds the round's code).
SEALED_ACTIONS = ("bid.submit", "bid.amend", "bid.withdraw", "commitment.sign")


def withhold_unopened(entries):
    from .models import TenderRound

    opened = TenderRound.objects.filter(opening_at__lte=timezone.now()).values("code")
    return entries.alias(sealed_round=KeyTextTransform("round", "after")).filter(
        ~Q(action__in=SEALED_ACTIONS) | Q(sealed_round__in=opened)
    )
