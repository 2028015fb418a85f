"""Public pages (no login): the award announcements (中选结果公告), the award rule sets and the open data (OCDS)
downloads."""

from django.urls import path

from . import award, open_data, rule_sets

app_name = "public"

urlpatterns = [
    path("awards/", award.award_announcements, name="award_announcements"),
    path("awards/<str:code>/", award.award_announcement, name="award_announcement"),
    path("rule-sets/", rule_sets.rule_set_list, name="rule_set_list"),
    path("rule-sets/<str:code>/v<int:version>/", rule_sets.rule_set_detail, name="rule_set_detail"),
    path("open-data/", open_data.open_data, name="open_data"),
    path("open-data/<str:code>.json", open_data.open_data_package, name="open_data_package"),
]
