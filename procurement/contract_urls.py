from django.urls import path

from . import contract_views as views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    path("export.xlsx", views.contract_export, name="contract_export"),
    path("confirm/", views.contracts_confirm_bulk, name="contracts_confirm_bulk"),
    path("<int:pk>/", views.contract_detail, name="contract_detail"),
    path("<int:pk>/confirm/", views.contract_confirm, name="contract_confirm"),
    path("<int:pk>/renew/", views.contract_renew, name="contract_renew"),
    path("deliveries/<int:pk>/receive/", views.delivery_receive, name="delivery_receive"),
    path("purchases/", views.purchase_report, name="purchase_report"),
    path("purchases/template.xlsx", views.purchase_template, name="purchase_template"),
    path("purchases/<int:pk>/", views.purchase_upload, name="purchase_upload"),
    path("settlement/", views.settlement, name="settlement"),
    path("rounds/<int:pk>/generate/", views.contracts_generate, name="contracts_generate"),
    path("rounds/<int:pk>/completion/", views.completion_dashboard, name="completion"),
    path("rounds/<int:pk>/completion/<int:region_pk>/", views.completion_city, name="completion_city"),
    path("rounds/<int:pk>/supply-failure/", views.supply_failure, name="supply_failure"),
]
