"""Public pages (no login): the award announcements (中选结果公告)."""

from django.urls import path

from . import award_views

app_name = "public"

urlpatterns = [
    path("awards/", award_views.award_announcements, name="award_announcements"),
    path("awards/<str:code>/", award_views.award_announcement, name="award_announcement"),
]
