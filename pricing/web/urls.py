from django.urls import path

from . import views

app_name = "pricing"

urlpatterns = [
    path("", views.pricing_home, name="home"),
    path("listings/apply/", views.listing_apply, name="listing_apply"),
    path("listings/<int:pk>/", views.listing_detail, name="listing_detail"),
    path("listings/<int:pk>/review/", views.listing_review, name="listing_review"),
    path("listings/<int:pk>/price/", views.listing_price_request, name="listing_price_request"),
    path("listings/<int:pk>/suspend/", views.listing_suspend, name="listing_suspend"),
    path("changes/<int:pk>/review/", views.listing_price_review, name="listing_price_review"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/act/", views.warning_act, name="warning_act"),
    path("checks/", views.run_checks, name="run_checks"),
    path("standards/", views.standards, name="standards"),
    path("off-platform/", views.declare_off_platform, name="declare_off_platform"),
    path("savings/", views.savings, name="savings"),
    path("exposures/", views.exposures, name="exposures"),
]
