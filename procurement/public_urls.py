"""Public pages (no login): the award announcements (中选结果公告) and the open data (OCDS) downloads."""

from django.urls import path

from . import award_views, open_data_views

app_name = "public"

urlpatterns = [
    path("awards/", award_views.award_announcements, name="award_announcements"),
    path("awards/<str:code>/", award_views.award_announcement, name="award_announcement"),
    path("open-data/", open_data_views.open_data, name="open_data"),
    path("open-data/<str:code>.json", open_data_views.open_data_package, name="open_data_package"),
]
