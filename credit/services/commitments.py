"""The credit commitment's text in force (承诺书); suppliers sign it for a round in
``procurement.services.commitments``."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import CreditError
from ..models import CommitmentText


def current_commitment_text() -> CommitmentText:
    text = CommitmentText.objects.filter(effective_from__lte=timezone.localdate()).first()
    if text is None:
        raise CreditError(_("No commitment text is in force."), code="no_commitment_text")
    return text
