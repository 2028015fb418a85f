"""The OCDS release package of an awarded round, for anyone (the same document as the open data page)."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from ..io import ocds
from ..models import TenderRound


class OcdsReleasePackageViewSet(viewsets.ViewSet):
    """OCDS 1.1 release package (bids and lots extensions) of a round whose award is published; 404 before."""

    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, code=None):
        tender_round = get_object_or_404(TenderRound, code=code)
        if not ocds.publishable(tender_round):
            raise Http404
        uri = request.build_absolute_uri(reverse("public:open_data_package", args=[tender_round.code]))
        return Response(ocds.release_package(tender_round, uri=uri))
