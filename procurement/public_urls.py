"""Public pages (no login): the award announcements (中选结果公告), the award rule sets and the open data (OCDS)
downloads."""

from django.urls import path

from . import award_views, open_data_views, rule_set_views

app_name = "public"

urlpatterns = [
    path("awards/", award_views.award_announcements, name="award_announcements"),
    path("awards/<str:code>/", award_views.award_announcement, name="award_announcement"),
    path("rule-sets/", rule_set_views.rule_set_list, name="rule_set_list"),
    path("rule-sets/<str:code>/v<int:version>/", rule_set_views.rule_set_detail, name="rule_set_detail"),
    path("open-data/", open_data_views.open_data, name="open_data"),
    path("open-data/<str:code>.json", open_data_views.open_data_package, name="open_data_package"),
]
