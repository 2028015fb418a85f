from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from accounts import access
from core.api.parsers import SafeMultiPartParser
from procurement import services
from procurement.filters import ProductFilter
from procurement.models import Product, ProductImport

from .serializers.catalog import (
    ProductImportInputSerializer,
    ProductImportSerializer,
    ProductInputSerializer,
    ProductSerializer,
)


class ProductViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The product catalog; officers add and change products (a product is deactivated, never deleted)."""

    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    search_fields = ["generic_name", "national_drug_code"]
    ordering_fields = ["generic_name", "national_drug_code", "updated_at"]
    permission_classes = [access.role_permission(write=access.PROCUREMENT_OFFICER_ROLES)]

    def get_queryset(self):
        return Product.objects.visible_to(self.request.user).select_related("holder")

    @extend_schema(request=ProductInputSerializer, responses={201: ProductSerializer})
    def create(self, request, *args, **kwargs):
        data = ProductInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_create(actor=request.user, **data.validated_data)
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProductInputSerializer, responses=ProductSerializer)
    def update(self, request, *args, **kwargs):
        product = self.get_object()
        data = ProductInputSerializer(product, data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        product = services.product_update(actor=request.user, product=product, **data.validated_data)
        return Response(ProductSerializer(product).data)


class ProductImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Catalog spreadsheet imports: upload returns 202 and the import, which a client polls until it finishes."""

    serializer_class = ProductImportSerializer
    permission_classes = [
        access.role_permission(read=access.PROCUREMENT_OFFICER_ROLES, write=access.PROCUREMENT_OFFICER_ROLES)
    ]
    parser_classes = [SafeMultiPartParser]

    def get_queryset(self):
        return ProductImport.objects.defer("content").order_by("-uploaded_at", "-id")

    @extend_schema(
        request={"multipart/form-data": ProductImportInputSerializer},
        responses={202: ProductImportSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    def create(self, request, *args, **kwargs):
        data = ProductImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        job = services.product_import_submit(
            actor=request.user,
            filename=upload.name,
            content=upload.read(),
            idempotency_key=request.headers.get("Idempotency-Key", "")[:100],
        )
        job.refresh_from_db()
        return Response(ProductImportSerializer(job).data, status=status.HTTP_202_ACCEPTED)
