"""REST endpoints of price governance, on the same services and scopes as the pages."""

from datetime import date

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts import access
from accounts.api.serializers import StrictCharField, StrictModelSerializer
from accounts.models import Region, Role
from pricing import selectors, services
from pricing.models import Listing, ListingChange, PaymentStandard, PriceWarning
from procurement.models import Product, TenderRound


class ListingChangeSerializer(StrictModelSerializer):
    class Meta:
        model = ListingChange
        fields = ["id", "kind", "old_price", "new_price", "reason", "pending", "at"]


class ListingSerializer(StrictModelSerializer):
    product_code = serializers.CharField(source="product.national_drug_code", read_only=True)
    supplier_code = serializers.CharField(source="supplier.code", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Listing
        fields = [
            "id", "product", "product_code", "supplier_code", "region", "region_code", "price", "basis", "status",
            "suspended_by_credit", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "basis", "status", "suspended_by_credit", "created_at"]
        extra_kwargs = {"product": {"queryset": Product.objects.all()}, "region": {"queryset": Region.objects.all()}}


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = StrictCharField()


class PriceRequestSerializer(serializers.Serializer):
    price = serializers.DecimalField(max_digits=14, decimal_places=4)
    reason = StrictCharField()


class ReasonSerializer(serializers.Serializer):
    reason = StrictCharField()


class ListingViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Listings: listed prices are open to every signed-in user; a supplier applies (POST) and asks for price
    changes; officers review, review price changes (``changes/{id}/review``), suspend and lift."""

    serializer_class = ListingSerializer
    filterset_fields = ["status", "product", "region", "supplier"]
    permission_classes = [access.role_permission(write=[*access.PROCUREMENT_OFFICER_ROLES, Role.SUPPLIER_USER])]

    def get_queryset(self):
        return Listing.objects.visible_to(self.request.user).select_related("product", "supplier", "region")

    def perform_create(self, serializer):
        values = serializer.validated_data
        serializer.instance = services.listing_apply(
            actor=self.request.user, product=values["product"], price=values["price"], region=values.get("region")
        )

    @extend_schema(responses=ListingChangeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """The listing's changes, newest first, paginated as every list of the API."""
        changes = self.paginate_queryset(self.get_object().changes.all())
        return self.get_paginated_response(ListingChangeSerializer(changes, many=True).data)

    @extend_schema(request=ReviewSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*access.PROCUREMENT_OFFICER_ROLES))
    def review(self, request, pk=None):
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        listing = services.listing_review(actor=request.user, listing=self.get_object(), **data.validated_data)
        return Response(ListingSerializer(listing).data)

    @extend_schema(request=PriceRequestSerializer, responses={201: ListingChangeSerializer})
    @action(detail=True, methods=["post"], url_path="price", permission_classes=access.only(Role.SUPPLIER_USER))
    def price(self, request, pk=None):
        listing = self.get_object()
        if listing.supplier_id != request.user.organisation_id:
            raise Http404
        data = PriceRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.listing_price_request(actor=request.user, listing=listing, **data.validated_data)
        return Response(ListingChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewSerializer, responses=dict)
    @action(
        detail=False,
        methods=["post"],
        url_path=r"changes/(?P<change_id>\d+)/review",
        permission_classes=access.only(*access.PROCUREMENT_OFFICER_ROLES),
    )
    def review_change(self, request, change_id=None):
        change = get_object_or_404(ListingChange, pk=change_id, pending=True)
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        warnings = services.listing_price_review(actor=request.user, change=change, **data.validated_data)
        return Response({"warnings": [{"id": w.pk, "kind": w.kind} for w in warnings]})

    @extend_schema(request=ReasonSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*access.PROCUREMENT_OFFICER_ROLES))
    def suspend(self, request, pk=None):
        listing = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            ListingSerializer(
                services.listing_suspend(actor=request.user, listing=listing, **data.validated_data)
            ).data
        )

    @extend_schema(request=ReasonSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*access.PROCUREMENT_OFFICER_ROLES))
    def lift(self, request, pk=None):
        listing = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            ListingSerializer(services.listing_lift(actor=request.user, listing=listing, **data.validated_data)).data
        )


class PaymentStandardSerializer(StrictModelSerializer):
    round = serializers.CharField(source="round.code")
    product = serializers.CharField(source="product.national_drug_code")
    standard_today = serializers.SerializerMethodField()

    class Meta:
        model = PaymentStandard
        fields = [
            "id", "round", "product", "basis", "winning_price", "product_price", "initial_standard", "standard_today",
            "effective_from", "convergence_years",
        ]  # fmt: skip

    def get_standard_today(self, standard) -> str:
        return str(standard.standard_on(date.today()))


class PaymentStandardViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Payment standards of every product after its group's award (open to every signed-in user)."""

    serializer_class = PaymentStandardSerializer
    filterset_fields = ["round", "product", "basis"]
    queryset = PaymentStandard.objects.select_related("round", "product")


class WarningSerializer(StrictModelSerializer):
    class Meta:
        model = PriceWarning
        fields = [
            "id", "kind", "supplier", "product", "group", "listing", "details", "status", "opened_at", "inquiry_text",
            "inquiry_due", "response_text", "responded_at", "interview_on", "interview_notes", "outcome",
            "outcome_reason", "closed_at",
        ]  # fmt: skip


class TextSerializer(serializers.Serializer):
    text = StrictCharField()


class InterviewSerializer(serializers.Serializer):
    on = serializers.DateField()
    notes = StrictCharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=PriceWarning.Outcome.choices)
    reason = StrictCharField()


class WarningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Price and supply warnings (authority all, a supplier its own) and their workflow."""

    serializer_class = WarningSerializer
    filterset_fields = ["kind", "status", "supplier"]
    permission_classes = [
        access.role_permission(
            read=[*access.AUTHORITY_ROLES, Role.SUPPLIER_USER],
            write=[*access.PROCUREMENT_OFFICER_ROLES, Role.SUPPLIER_USER],
        )
    ]

    def get_queryset(self):
        return PriceWarning.objects.visible_to(self.request.user)

    def _text(self, request):
        data = TextSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data["text"]

    @extend_schema(request=TextSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*access.PROCUREMENT_OFFICER_ROLES))
    def inquire(self, request, pk=None):
        warning = services.warning_inquire(actor=request.user, warning=self.get_object(), text=self._text(request))
        return Response(WarningSerializer(warning).data)

    @extend_schema(request=TextSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(Role.SUPPLIER_USER))
    def answer(self, request, pk=None):
        warning = services.warning_answer(actor=request.user, warning=self.get_object(), text=self._text(request))
        return Response(WarningSerializer(warning).data)

    @extend_schema(request=InterviewSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*access.PROCUREMENT_OFFICER_ROLES))
    def interview(self, request, pk=None):
        warning = self.get_object()
        data = InterviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        warning = services.warning_interview(actor=request.user, warning=warning, **data.validated_data)
        return Response(WarningSerializer(warning).data)

    @extend_schema(request=CloseSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*access.PROCUREMENT_OFFICER_ROLES))
    def close(self, request, pk=None):
        warning = self.get_object()
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        warning = services.warning_close(actor=request.user, warning=warning, **data.validated_data)
        return Response(WarningSerializer(warning).data)


class SavingsViewSet(viewsets.ViewSet):
    """Savings of a round (authority): price drops, money saved at agreed volumes and actual purchases."""

    permission_classes = [access.role_permission(read=access.AUTHORITY_ROLES)]

    @extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)], responses=dict)
    def retrieve(self, request, pk=None):
        tender_round = get_object_or_404(TenderRound.objects.visible_to(request.user), pk=pk)
        report = selectors.round_savings(tender_round)
        return Response(
            {
                "round": tender_round.code,
                "drop_vs_ceiling": report["drop_vs_ceiling"],
                "drop_vs_pre_vbp": report["drop_vs_pre_vbp"],
                "saved_at_agreed": str(report["saved_at_agreed"]),
                "saved_at_purchases": str(report["saved_at_purchases"]),
                "vbp_share": selectors.vbp_share()["share"],
            }
        )
