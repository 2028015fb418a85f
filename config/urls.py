from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api.views import (
    ApiTokenViewSet,
    AuditEntryViewSet,
    ObtainTokenView,
    OrganisationViewSet,
    RegionViewSet,
    UserViewSet,
)
from credit.api.views import (
    CatalogVersionViewSet,
    CreditRecordViewSet,
    DisclosureViewSet,
    MeasureViewSet,
    RatingRunViewSet,
    RatingViewSet,
    RepairApplicationViewSet,
    TipViewSet,
)
from pricing.api.views import ListingViewSet, PaymentStandardViewSet, SavingsViewSet, WarningViewSet
from procurement.api.award import AllocationViewSet, AwardOutcomeViewSet, AwardRunViewSet
from procurement.api.catalog import ProductImportViewSet, ProductViewSet
from procurement.api.contracts import (
    CompletionViewSet,
    ContractViewSet,
    DeliveryViewSet,
    PurchaseUploadViewSet,
    PurchaseViewSet,
    SettlementViewSet,
    SupplyFailureViewSet,
)
from procurement.api.open_data import OcdsReleasePackageViewSet
from procurement.api.rounds import (
    BidViewSet,
    CommitmentViewSet,
    DemandReportViewSet,
    GroupViewSet,
    RoundViewSet,
    RuleSetViewSet,
)
from procurement.api.trading import (
    DeliveryAddressViewSet,
    DistributionRelationViewSet,
    OrderLineViewSet,
    OrderMessageViewSet,
    PurchaseOrderViewSet,
    ReceiptMessageViewSet,
    ReturnViewSet,
    ShipmentLineViewSet,
    ShipmentViewSet,
    TradingRuleSetViewSet,
)

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("users", UserViewSet, basename="user")
router.register("auth/tokens", ApiTokenViewSet, basename="api-tokens")
router.register("audit-entries", AuditEntryViewSet, basename="audit-entry")
router.register("products", ProductViewSet, basename="product")
router.register("product-imports", ProductImportViewSet, basename="product-import")
router.register("rule-sets", RuleSetViewSet, basename="rule-set")
router.register("rounds", RoundViewSet, basename="round")
router.register("groups", GroupViewSet, basename="group")
router.register("demand", DemandReportViewSet, basename="demand")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("bids", BidViewSet, basename="bid")
router.register("award-runs", AwardRunViewSet, basename="award-run")
router.register("award-outcomes", AwardOutcomeViewSet, basename="award-outcome")
router.register("allocations", AllocationViewSet, basename="allocation")
router.register("contracts", ContractViewSet, basename="contract")
router.register("purchases", PurchaseViewSet, basename="purchase")
router.register("purchase-uploads", PurchaseUploadViewSet, basename="purchase-upload")
router.register("deliveries", DeliveryViewSet, basename="delivery")
router.register("trading-rule-sets", TradingRuleSetViewSet, basename="trading-rule-set")
router.register("distribution-relations", DistributionRelationViewSet, basename="distribution-relation")
router.register("delivery-addresses", DeliveryAddressViewSet, basename="delivery-address")
router.register("orders", PurchaseOrderViewSet, basename="order")
router.register("order-lines", OrderLineViewSet, basename="order-line")
router.register("shipments", ShipmentViewSet, basename="shipment")
router.register("shipment-lines", ShipmentLineViewSet, basename="shipment-line")
router.register("returns", ReturnViewSet, basename="return")
router.register("order-messages", OrderMessageViewSet, basename="order-message")
router.register("receipt-messages", ReceiptMessageViewSet, basename="receipt-message")
router.register("supply-failures", SupplyFailureViewSet, basename="supply-failure")
router.register("completion", CompletionViewSet, basename="completion")
router.register("settlement", SettlementViewSet, basename="settlement")
router.register("listings", ListingViewSet, basename="listing")
router.register("payment-standards", PaymentStandardViewSet, basename="payment-standard")
router.register("price-warnings", WarningViewSet, basename="price-warning")
router.register("savings", SavingsViewSet, basename="savings")
router.register("ocds", OcdsReleasePackageViewSet, basename="ocds")
router.register("credit/catalog-versions", CatalogVersionViewSet, basename="credit-catalog-version")
router.register("credit/records", CreditRecordViewSet, basename="credit-record")
router.register("credit/tips", TipViewSet, basename="credit-tip")
router.register("credit/repairs", RepairApplicationViewSet, basename="credit-repair")
router.register("credit/ratings", RatingViewSet, basename="credit-rating")
router.register("credit/measures", MeasureViewSet, basename="credit-measure")
router.register("credit/runs", RatingRunViewSet, basename="credit-run")
router.register("credit/disclosure", DisclosureViewSet, basename="credit-disclosure")


def favicon(request):
    """Browsers ask for /favicon.ico on every site whatever the page links: the platform's icon, from static."""
    return redirect(static("favicon.ico"), permanent=True)


def healthz(request):
    """Liveness probe, and the trivial view that benchmarks compare against."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("accounts.urls")),
    path("", include("procurement.web.urls")),
    path("announcements/", include("procurement.web.public_urls")),
    path("credit/", include("credit.web.urls")),
    path("contracts/", include("procurement.web.contract_urls")),
    path("pricing/", include("pricing.web.urls")),
    path("trading/", include("procurement.web.trading_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "core.error_pages.bad_request"
handler403 = "core.error_pages.permission_denied"
handler404 = "core.error_pages.page_not_found"
handler500 = "core.error_pages.server_error"

# Uploaded files (credit evidence) are never served from a public media URL: only through permission-checked views.
