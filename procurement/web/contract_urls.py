from django.urls import path

from . import contracts

app_name = "contracts"

urlpatterns = [
    path("", contracts.contract_list, name="contract_list"),
    path("export.xlsx", contracts.contract_export, name="contract_export"),
    path("confirm/", contracts.contracts_confirm_bulk, name="contracts_confirm_bulk"),
    path("<int:pk>/", contracts.contract_detail, name="contract_detail"),
    path("<int:pk>/confirm/", contracts.contract_confirm, name="contract_confirm"),
    path("<int:pk>/renew/", contracts.contract_renew, name="contract_renew"),
    path("deliveries/<int:pk>/receive/", contracts.delivery_receive, name="delivery_receive"),
    path("purchases/", contracts.purchase_report, name="purchase_report"),
    path("purchases/template.xlsx", contracts.purchase_template, name="purchase_template"),
    path("purchases/<int:pk>/", contracts.purchase_upload, name="purchase_upload"),
    path("settlement/", contracts.settlement, name="settlement"),
    path("rounds/<int:pk>/generate/", contracts.contracts_generate, name="contracts_generate"),
    path("rounds/<int:pk>/completion/", contracts.completion_dashboard, name="completion"),
    path("rounds/<int:pk>/completion/<int:region_pk>/", contracts.completion_city, name="completion_city"),
    path("rounds/<int:pk>/supply-failure/", contracts.supply_failure, name="supply_failure"),
]
