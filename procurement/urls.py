from django.urls import path

from . import views

app_name = "procurement"

urlpatterns = [
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_edit, name="product_create"),
    path("products/export.xlsx", views.product_export, name="product_export"),
    path("products/import/", views.product_import, name="product_import"),
    path("products/import/template.xlsx", views.product_import_template, name="product_import_template"),
    path("products/import/<int:pk>/", views.product_import_detail, name="product_import_detail"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
]

from . import round_views  # noqa: E402

urlpatterns += [
    path("rounds/", round_views.round_list, name="round_list"),
    path("rounds/new/", round_views.round_edit, name="round_create"),
    path("rounds/<int:pk>/", round_views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", round_views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/transition/", round_views.round_transition, name="round_transition"),
    path("rounds/<int:pk>/extend-demand/", round_views.round_extend_demand, name="round_extend_demand"),
    path("rounds/<int:pk>/groups/new/", round_views.group_edit, name="group_create"),
    path("rounds/<int:pk>/groups/<int:group_pk>/edit/", round_views.group_edit, name="group_edit"),
    path("rounds/<int:pk>/spec-ceilings/", round_views.round_spec_ceilings, name="round_spec_ceilings"),
    path(
        "rounds/<int:pk>/spec-ceilings/template.xlsx",
        round_views.round_spec_ceilings_template,
        name="round_spec_ceilings_template",
    ),
    path("rounds/<int:pk>/demand/", round_views.round_demand, name="round_demand"),
    path("rounds/<int:pk>/demand/upload/", round_views.round_demand_upload, name="round_demand_upload"),
    path("rounds/<int:pk>/demand/template.xlsx", round_views.round_demand_template, name="round_demand_template"),
    path("rounds/<int:pk>/demand/summary/", round_views.round_demand_summary, name="round_demand_summary"),
    path("rounds/<int:pk>/commitment/", round_views.round_commitment, name="round_commitment"),
    path("rounds/<int:pk>/bids/", round_views.round_bids, name="round_bids"),
    path("rounds/<int:pk>/bids/<int:group_pk>/withdraw/", round_views.round_bid_withdraw, name="round_bid_withdraw"),
    path("rounds/<int:pk>/bids/<int:group_pk>/preview/", round_views.round_bid_preview, name="round_bid_preview"),
    path("rounds/<int:pk>/open/", round_views.round_open, name="round_open"),
    path("rounds/<int:pk>/opening/", round_views.round_opening, name="round_opening"),
    path("rounds/<int:pk>/opening.xlsx", round_views.round_opening_export, name="round_opening_export"),
    path("rounds/<int:pk>/award-preview/", round_views.round_award_preview, name="round_award_preview"),
]

from . import award_views  # noqa: E402

urlpatterns += [
    path("rounds/<int:pk>/award/", award_views.round_award, name="round_award"),
    path("rounds/<int:pk>/award/compare/", award_views.award_compare, name="award_compare"),
    path("rounds/<int:pk>/award/<int:run_pk>/", award_views.award_run, name="award_run"),
    path("rounds/<int:pk>/award/<int:run_pk>/progress/", award_views.award_run_progress, name="award_run_progress"),
    path("rounds/<int:pk>/award/<int:run_pk>/lines/", award_views.award_run_lines, name="award_run_lines"),
    path("rounds/<int:pk>/award/<int:run_pk>/publish/", award_views.award_run_publish, name="award_run_publish"),
    path("rounds/<int:pk>/award/<int:run_pk>/revival/", award_views.award_revival_accept, name="award_revival_accept"),
    path("rounds/<int:pk>/results/", award_views.round_results, name="round_results"),
    path("rounds/<int:pk>/allocations/", award_views.round_allocations, name="round_allocations"),
    path(
        "rounds/<int:pk>/allocations/choose/<int:report_pk>/",
        award_views.round_choose_winner,
        name="round_choose_winner",
    ),
]
