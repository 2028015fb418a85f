"""REST endpoints of tender rounds: the same services and visibility rules as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts import access
from accounts.api.filters import check_page
from accounts.models import Role
from core.api.errors import DomainErrorSerializer
from core.api.parsers import SafeMultiPartParser
from core.params import id_param
from credit.models import Commitment
from procurement import services
from procurement.models import BidVersion, DemandReport, Product, ProductGroup, RuleSet, TenderRound
from procurement.selectors import rounds as selectors

from .award import demand_choose
from .serializers.award import ChoiceSerializer
from .serializers.rounds import (
    BidInputSerializer,
    BidReceiptSerializer,
    BidWithdrawSerializer,
    CommitmentInputSerializer,
    CommitmentSerializer,
    DemandInputSerializer,
    DemandReportSerializer,
    DemandUploadSerializer,
    ExtendDemandSerializer,
    FileSerializer,
    GroupSerializer,
    OpenedBidSerializer,
    RoundInputSerializer,
    RoundSerializer,
    RuleSetSerializer,
    SpecCeilingUploadSerializer,
    TransitionSerializer,
)

IDEMPOTENCY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)


def _key(request) -> str:
    return request.headers.get("Idempotency-Key", "")[:100]


def _body_value(request, name):
    """A field of a JSON object body; None when the body is not an object (a list, a string)."""
    return request.data.get(name) if isinstance(request.data, dict) else None


class RuleSetViewSet(viewsets.ReadOnlyModelViewSet):
    """The award rule-set library: every rule set with its family, what it changes, source, what is inferred and
    parameters (also in words). Read-only: a rule set is never changed once published."""

    serializer_class = RuleSetSerializer
    filterset_fields = ["code", "family"]

    def get_queryset(self):
        return RuleSet.objects.order_by("family", "code", "-version")


class RoundViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Tender rounds. Officers set them up and move them; suppliers and hospitals see published rounds."""

    serializer_class = RoundSerializer
    filterset_fields = ["status", "scope"]
    search_fields = ["code", "name"]

    def get_permissions(self):
        if self.action in ("opening_table", "retrieve", "list"):
            return [access.role_permission()()]
        if self.action in ("demand_upload",):
            return [access.role_permission(write=[Role.HOSPITAL_USER])()]
        if self.action in ("demand_summary", "award_preview"):
            return [access.role_permission(read=access.PROCUREMENT_OFFICER_ROLES)()]
        return [access.role_permission(write=access.PROCUREMENT_OFFICER_ROLES)()]

    def get_queryset(self):
        return TenderRound.objects.visible_to(self.request.user).select_related("rule_set").prefetch_related("regions")

    def get_object(self):
        return services.advance_round(super().get_object())

    @extend_schema(request=RoundInputSerializer, responses={201: RoundSerializer})
    def create(self, request, *args, **kwargs):
        data = RoundInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        regions = values.pop("regions", [])
        tender_round = services.round_create(actor=request.user, regions=regions, **values)
        return Response(RoundSerializer(tender_round).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RoundInputSerializer, responses=RoundSerializer)
    def update(self, request, *args, **kwargs):
        tender_round = self.get_object()
        data = RoundInputSerializer(tender_round, data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("code", None), values.pop("rule_set", None)
        regions = values.pop("regions", None)
        tender_round = services.round_update(actor=request.user, tender_round=tender_round, regions=regions, **values)
        return Response(RoundSerializer(tender_round).data)

    @extend_schema(request=TransitionSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tender_round = services.round_transition(
            actor=request.user,
            tender_round=self.get_object(),
            to_status=data.validated_data["to_status"],
            reason=data.validated_data["reason"],
        )
        return Response(RoundSerializer(tender_round).data)

    @extend_schema(request=ExtendDemandSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["post"], url_path="extend-demand")
    def extend_demand(self, request, pk=None):
        data = ExtendDemandSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tender_round = services.demand_window_extend(
            actor=request.user, tender_round=self.get_object(), **data.validated_data
        )
        return Response(RoundSerializer(tender_round).data)

    @extend_schema(request=None, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        tender_round = services.round_open(actor=request.user, tender_round=self.get_object())
        return Response(RoundSerializer(tender_round).data)

    @extend_schema(responses=OpenedBidSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="opening-table")
    def opening_table(self, request, pk=None):
        tender_round = self.get_object()
        if not tender_round.is_opened:
            raise NotFound("The bids are sealed until the opening.")
        rows = self.paginate_queryset(selectors.opening_table(tender_round, request.user))
        return self.get_paginated_response(OpenedBidSerializer(rows, many=True).data)

    @extend_schema(responses=dict)
    @action(detail=True, methods=["get"], url_path="demand-summary")
    def demand_summary(self, request, pk=None):
        summary = selectors.demand_summary(self.get_object())
        return Response(
            {
                "hospitals_total": summary.hospitals_total,
                "hospitals_reported": summary.hospitals_reported,
                "groups": [{key: group[key] for key in ("code", "total", "hospitals")} for group in summary.groups],
                "by_region": [
                    {
                        "group": row["group__code"],
                        "region": row["hospital__region__code"],
                        "total": row["total"],
                        "hospitals": row["hospitals"],
                    }
                    for row in summary.by_region
                ],
                "missing_hospitals": [hospital.code for hospital in summary.missing_hospitals],
            }
        )

    @extend_schema(
        parameters=[OpenApiParameter("rule_set", int, OpenApiParameter.QUERY, required=False)], responses=dict
    )
    @action(detail=True, methods=["get"], url_path="award-preview")
    def award_preview(self, request, pk=None):
        """What-if: the award engines on the opened bids and the demand, under the round's or another rule set."""
        from procurement.models import RuleSet
        from procurement.services.award import round_award_preview

        tender_round = self.get_object()
        rule_set = None
        rule_set_id = id_param(request.query_params, "rule_set", label="rule_set")
        if rule_set_id:
            rule_set = get_object_or_404(RuleSet, pk=rule_set_id)
        return Response(round_award_preview(tender_round=tender_round, rule_set=rule_set))

    @extend_schema(
        request={"multipart/form-data": FileSerializer},
        responses={
            201: DemandUploadSerializer,
            # A rejected file (its row-numbered errors), or a request refused before the file is read.
            400: DomainErrorSerializer,
        },
        parameters=[IDEMPOTENCY],
    )
    @action(detail=True, methods=["post"], url_path="demand-upload", parser_classes=[SafeMultiPartParser])
    def demand_upload(self, request, pk=None):
        data = FileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        file = data.validated_data["file"]
        upload = services.demand_upload(
            actor=request.user,
            tender_round=self.get_object(),
            filename=file.name,
            content=file.read(),
            idempotency_key=_key(request),
        )
        answer = status.HTTP_201_CREATED if upload.accepted else status.HTTP_400_BAD_REQUEST
        return Response(DemandUploadSerializer(upload).data, status=answer)

    @extend_schema(
        request={"multipart/form-data": FileSerializer},
        # A rejected file answers its line-numbered errors with the domain error's code and detail; a request
        # refused before the file is read answers a domain or field error.
        responses={200: SpecCeilingUploadSerializer, 400: DomainErrorSerializer},
    )
    @action(detail=True, methods=["post"], url_path="spec-ceilings", parser_classes=[SafeMultiPartParser])
    def spec_ceilings(self, request, pk=None):
        """Per-specification ceilings of the round's groups from a spreadsheet (group code, strength, unit,
        ceiling per smallest unit), before bidding; the groups it names get exactly its rows. All or nothing."""
        data = FileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        file = data.validated_data["file"]
        result = services.spec_ceilings_upload(
            actor=request.user, tender_round=self.get_object(), filename=file.name, content=file.read()
        )
        counts = {"groups": result["groups"], "rows": result["rows"], "errors": result["errors"]}
        if result["accepted"]:
            return Response({"status": "accepted", **counts})
        detail = _("The file was rejected: nothing changed.")
        body = {"status": "rejected", "code": "file_rejected", "detail": detail, **counts}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)


class GroupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Product groups of the rounds the caller may see; officers add and change them before bidding."""

    serializer_class = GroupSerializer
    filterset_fields = ["round"]
    permission_classes = [access.role_permission(write=access.PROCUREMENT_OFFICER_ROLES)]

    def get_queryset(self):
        rounds = TenderRound.objects.visible_to(self.request.user)
        return ProductGroup.objects.filter(round__in=rounds).prefetch_related("eligible_products")

    @extend_schema(
        parameters=[OpenApiParameter("round", int, OpenApiParameter.QUERY, required=True)],
        request=GroupSerializer,
        responses={201: GroupSerializer},
    )
    def create(self, request, *args, **kwargs):
        tender_round = get_object_or_404(
            TenderRound,
            pk=id_param(request.query_params, "round", label="round")
            or id_param({"round": str(_body_value(request, "round") or "")}, "round", label="round", required=True),
        )
        data = GroupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        eligible = values.pop("eligible_products", [])
        group = services.group_save(
            actor=request.user, tender_round=tender_round, eligible_products=eligible, **values
        )
        return Response(GroupSerializer(group).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        group = self.get_object()
        data = GroupSerializer(group, data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        eligible = values.pop("eligible_products", None)
        group = services.group_save(
            actor=request.user,
            tender_round=group.round,
            group=group,
            eligible_products=eligible if eligible is not None else group.eligible_products.all(),
            **values,
        )
        return Response(GroupSerializer(group).data)


class DemandReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A hospital's demand reports (officers see all); POST reports or corrects one group's demand."""

    serializer_class = DemandReportSerializer
    filterset_fields = ["group", "group__round", "hospital"]
    permission_classes = [access.role_permission(write=[Role.HOSPITAL_USER])]

    def get_queryset(self):
        return DemandReport.objects.visible_to(self.request.user).select_related("group")

    @extend_schema(request=DemandInputSerializer, responses={201: DemandReportSerializer})
    def create(self, request, *args, **kwargs):
        data = DemandInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        group = data.validated_data["group"]
        if not TenderRound.objects.visible_to(request.user).filter(pk=group.round_id).exists():
            raise NotFound()
        brand_code = data.validated_data.get("brand")
        brand = get_object_or_404(Product, national_drug_code=brand_code) if brand_code else None
        report = services.demand_report(
            actor=request.user, group=group, quantity=data.validated_data["quantity"], brand=brand
        )
        return Response(DemandReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ChoiceSerializer, responses=dict)
    @action(detail=True, methods=["post"])
    def choose(self, request, pk=None):
        return demand_choose(self, request, pk)


ROUND_FILTER = OpenApiParameter("round", int, description="only this round (id)")


class CommitmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Credit commitments: a supplier signs per round and sees its own; officers see a round's from its opening
    (until then who signed is sealed, with the bids)."""

    serializer_class = CommitmentSerializer
    lookup_field = "public_id"
    permission_classes = [access.role_permission(write=[Role.SUPPLIER_USER])]

    def get_queryset(self):
        return Commitment.objects.visible_to(self.request.user).select_related("text")

    def _visible(self) -> list:
        user = self.request.user
        round_id = id_param(self.request.query_params, "round", label=_("Round"), empty=False)
        if access.is_supplier_user(user):
            return selectors.own_commitments(user.organisation_id, round_id=round_id)
        queryset = self.get_queryset()
        return list(queryset.filter(round_id=round_id) if round_id is not None else queryset)

    @extend_schema(parameters=[ROUND_FILTER])
    def list(self, request, *args, **kwargs):
        check_page(request)
        page = self.paginate_queryset(self._visible())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        wanted = str(kwargs[self.lookup_field])
        for commitment in self._visible():
            if str(commitment.public_id) == wanted:
                return Response(self.get_serializer(commitment).data)
        raise NotFound()

    @extend_schema(request=CommitmentInputSerializer, responses={201: CommitmentSerializer})
    def create(self, request, *args, **kwargs):
        data = CommitmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tender_round = data.validated_data["round"]
        if not TenderRound.objects.visible_to(request.user).filter(pk=tender_round.pk).exists():
            raise NotFound()
        commitment = services.commitment_sign(actor=request.user, tender_round=tender_round)
        return Response(CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)


class BidViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A supplier's own bid versions with their receipts; POST submits or amends, /withdraw/ withdraws.

    No endpoint returns a bid's content before the opening: after it, read the round's opening table.
    """

    serializer_class = BidReceiptSerializer
    permission_classes = [access.role_permission(read=[Role.SUPPLIER_USER], write=[Role.SUPPLIER_USER])]

    def get_queryset(self):  # the schema's model; the list is built by selectors.own_receipts
        return BidVersion.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("bid__round", int, description="only this round (id)"),
            OpenApiParameter("bid__group", int, description="only this group (id)"),
        ]
    )
    def list(self, request, *args, **kwargs):
        check_page(request)
        versions = selectors.own_receipts(
            request.user.organisation_id,
            round_id=id_param(request.query_params, "bid__round", label=_("Round"), empty=False),
            group_id=id_param(request.query_params, "bid__group", label=_("Group"), empty=False),
        )
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _group(self, group):
        if not group.round.is_visible_to(self.request.user):
            raise NotFound()
        return group

    @extend_schema(request=BidInputSerializer, responses={201: BidReceiptSerializer}, parameters=[IDEMPOTENCY])
    def create(self, request, *args, **kwargs):
        data = BidInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        version = services.bid_submit(
            actor=request.user,
            group=self._group(values["group"]),
            product=values["product"],
            price=values["price"],
            capacity=values.get("capacity"),
            regions=values.get("regions", []),
            idempotency_key=_key(request),
        )
        return Response(BidReceiptSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BidWithdrawSerializer, responses={201: BidReceiptSerializer}, parameters=[IDEMPOTENCY])
    @action(detail=False, methods=["post"])
    def withdraw(self, request):
        data = BidWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.bid_withdraw(
            actor=request.user, group=self._group(data.validated_data["group"]), idempotency_key=_key(request)
        )
        return Response(BidReceiptSerializer(version).data, status=status.HTTP_201_CREATED)
