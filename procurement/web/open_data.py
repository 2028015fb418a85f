"""Open data pages (no login): each awarded round as an OCDS 1.1 release package (procurement/ocds.py)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..io import ocds
from ..models import TenderRound


def _publishable_rounds():
    rounds = TenderRound.objects.filter(status__in=ocds.PUBLIC_STATUSES, opened_at__isnull=False)
    return [tender_round for tender_round in rounds.order_by("-opened_at") if ocds.publishable(tender_round)]


@require_safe
def open_data(request):
    """The rounds whose OCDS release packages can be downloaded, and the audit chain's heads published at every
    opening and every day, for anyone to keep and compare later (docs/trust.md)."""
    from django.db.models import Q

    from accounts.models import AuditCheckpoint

    heads = AuditCheckpoint.objects.filter(Q(label__startswith="opening ") | Q(label__startswith="daily "))[:20]
    return render(request, "procurement/open_data.html", {"rounds": _publishable_rounds(), "heads": heads})


@require_safe
def open_data_package(request, code):
    tender_round = get_object_or_404(TenderRound, code=code)
    if not ocds.publishable(tender_round):
        raise Http404
    uri = request.build_absolute_uri(reverse("public:open_data_package", args=[code]))
    package = ocds.release_package(tender_round, uri=uri)
    response = HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="ocds-{tender_round.code}.json"'
    return response
