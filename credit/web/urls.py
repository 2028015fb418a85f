from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("", views.credit_home, name="home"),
    path("catalog/", views.catalog, name="catalog"),
    path("evidence/<str:kind>/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("records/", views.record_list, name="record_list"),
    path("records/new/", views.record_create, name="record_create"),
    path("records/export.xlsx", views.record_export, name="record_export"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/decide/", views.record_decide, name="record_decide"),
    path("records/<int:pk>/notify/", views.record_notify, name="record_notify"),
    path("records/<int:pk>/acknowledge/", views.record_acknowledge, name="record_acknowledge"),
    path("records/<int:pk>/revoke/", views.record_revoke, name="record_revoke"),
    path("records/<int:pk>/defend/", views.record_defend, name="record_defend"),
    path("records/<int:pk>/repair/", views.repair_apply, name="repair_apply"),
    path("repairs/<int:pk>/decide/", views.repair_decide, name="repair_decide"),
    path("self-report/", views.self_report, name="self_report"),
    path("review/", views.review, name="review"),
    path("tips/<int:pk>/", views.tip_detail, name="tip_detail"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("ratings/export.xlsx", views.rating_export, name="rating_export"),
    path("suppliers/<int:pk>/", views.supplier_standing, name="supplier_standing"),
    path("measures/<int:pk>/acknowledge/", views.measure_acknowledge, name="measure_acknowledge"),
    path("risk-notices/", views.risk_notices, name="risk_notices"),
    path("disclosure/", views.disclosure, name="disclosure"),
    path("tip/", views.tip_submit, name="tip_submit"),
]
