from django.urls import path, re_path

from core.web import moved

from . import award, catalog, rounds

app_name = "procurement"

urlpatterns = [
    path("catalog/products/", catalog.product_list, name="product_list"),
    path("catalog/products/new/", catalog.product_edit, name="product_create"),
    path("catalog/products/export.xlsx", catalog.product_export, name="product_export"),
    path("catalog/products/import/", catalog.product_import, name="product_import"),
    path("catalog/products/import/template.xlsx", catalog.product_import_template, name="product_import_template"),
    path("catalog/products/import/<int:pk>/", catalog.product_import_detail, name="product_import_detail"),
    path("catalog/products/<int:pk>/", catalog.product_detail, name="product_detail"),
    path("catalog/products/<int:pk>/edit/", catalog.product_edit, name="product_edit"),
]

urlpatterns += [
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_edit, name="round_create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/transition/", rounds.round_transition, name="round_transition"),
    path("rounds/<int:pk>/extend-demand/", rounds.round_extend_demand, name="round_extend_demand"),
    path("rounds/<int:pk>/groups/new/", rounds.group_edit, name="group_create"),
    path("rounds/<int:pk>/groups/<int:group_pk>/edit/", rounds.group_edit, name="group_edit"),
    path("rounds/<int:pk>/spec-ceilings/", rounds.round_spec_ceilings, name="round_spec_ceilings"),
    path(
        "rounds/<int:pk>/spec-ceilings/template.xlsx",
        rounds.round_spec_ceilings_template,
        name="round_spec_ceilings_template",
    ),
    path("rounds/<int:pk>/demand/", rounds.round_demand, name="round_demand"),
    path("rounds/<int:pk>/demand/upload/", rounds.round_demand_upload, name="round_demand_upload"),
    path("rounds/<int:pk>/demand/template.xlsx", rounds.round_demand_template, name="round_demand_template"),
    path("rounds/<int:pk>/demand/summary/", rounds.round_demand_summary, name="round_demand_summary"),
    path("rounds/<int:pk>/commitment/", rounds.round_commitment, name="round_commitment"),
    path("rounds/<int:pk>/bids/", rounds.round_bids, name="round_bids"),
    path("rounds/<int:pk>/bids/<int:group_pk>/withdraw/", rounds.round_bid_withdraw, name="round_bid_withdraw"),
    path("rounds/<int:pk>/bids/receipts/", rounds.round_bid_receipts, name="round_bid_receipts"),
    path("rounds/<int:pk>/bids/<int:group_pk>/preview/", rounds.round_bid_preview, name="round_bid_preview"),
    path("rounds/<int:pk>/open/", rounds.round_open, name="round_open"),
    path("rounds/<int:pk>/opening/", rounds.round_opening, name="round_opening"),
    path("rounds/<int:pk>/opening.xlsx", rounds.round_opening_export, name="round_opening_export"),
    path("rounds/<int:pk>/award-preview/", rounds.round_award_preview, name="round_award_preview"),
]

urlpatterns += [
    path("rounds/<int:pk>/award/", award.round_award, name="round_award"),
    path("rounds/<int:pk>/award/compare/", award.award_compare, name="award_compare"),
    path("rounds/<int:pk>/award/<int:run_pk>/", award.award_run, name="award_run"),
    path("rounds/<int:pk>/award/<int:run_pk>/progress/", award.award_run_progress, name="award_run_progress"),
    path("rounds/<int:pk>/award/<int:run_pk>/lines/", award.award_run_lines, name="award_run_lines"),
    path("rounds/<int:pk>/award/<int:run_pk>/publish/", award.award_run_publish, name="award_run_publish"),
    path("rounds/<int:pk>/award/<int:run_pk>/revival/", award.award_revival_accept, name="award_revival_accept"),
    path("rounds/<int:pk>/results/", award.round_results, name="round_results"),
    path("rounds/<int:pk>/allocations/", award.round_allocations, name="round_allocations"),
    path(
        "rounds/<int:pk>/allocations/choose/<int:report_pk>/",
        award.round_choose_winner,
        name="round_choose_winner",
    ),
]

# Rounds were served under /catalog/rounds/ until 2026-12; old links and bookmarks (and forms posted to them) keep
# working through a permanent redirect that keeps the method and the query string.
# Only the shapes round addresses have (segments of word characters, a spreadsheet at the end): nothing else is
# passed on.
urlpatterns += [
    re_path(r"^catalog/rounds/(?P<rest>(?:[\w-]+/)*(?:[\w-]+\.xlsx)?)$", moved("/rounds/"), name="rounds_moved")
]
