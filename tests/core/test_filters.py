"""Filters generated from model fields are labelled in the request's language, even after their form fields were
built on the class (as the API schema generator does), which django-filter alone would keep."""

from django.utils import translation

from accounts.filters import OrganisationFilter
from procurement.filters import ProductFilter


def test_generated_filter_labels_follow_the_active_language(db):
    for filterset, field in ((OrganisationFilter, "hospital_level"), (ProductFilter, "quality_tier")):
        with translation.override("en"):
            assert filterset.base_filters[field].field is not None  # built on the class, without a label
            english = filterset({}).form.fields[field].label
        with translation.override("zh-hans"):
            chinese = filterset({}).form.fields[field].label
        assert english != chinese and english.isascii() and not chinese.isascii(), (english, chinese)
