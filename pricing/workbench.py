"""Pricing's tasks on a user's workbench (registered with ``accounts.workbench`` when the app is ready): a
supplier's inquiry letters to answer, the procurement officer's listings, price changes and warnings to handle."""

from collections.abc import Iterator
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import access
from accounts.workbench import Task


def tasks(user, now: datetime) -> Iterator[Task]:
    if access.is_supplier_user(user):
        yield from _supplier(user.organisation, now)
    elif access.is_procurement_officer(user):
        yield from _officer()


def _supplier(supplier, now: datetime) -> Iterator[Task]:
    from .models import PriceWarning

    inquiries = PriceWarning.objects.filter(
        supplier=supplier, status=PriceWarning.Status.INQUIRY, inquiry_due__gte=now.date()
    ).select_related("product", "group")
    for warning in inquiries:
        subject = warning.product or warning.group
        yield Task(
            "prices",
            _("Answer the inquiry letter about %(subject)s") % {"subject": subject},
            reverse("pricing:warning_detail", args=[warning.pk]),
            warning.inquiry_due,
            warning.get_kind_display(),
        )


def _officer() -> Iterator[Task]:
    from .models import Listing, ListingChange, PriceWarning

    home = reverse("pricing:home")
    queues = [
        (
            Listing.objects.filter(status=Listing.Status.PENDING).count(),
            lambda n: ngettext("Review %(count)d listing application", "Review %(count)d listing applications", n),
        ),
        (
            ListingChange.objects.filter(pending=True).count(),
            lambda n: ngettext("Review %(count)d price change request", "Review %(count)d price change requests", n),
        ),
    ]
    for count, title in queues:
        if count:
            yield Task("prices", title(count) % {"count": count}, home, count=count)
    # Open warnings need an inquiry letter (or closing); answered ones a decision. Those waiting for the supplier
    # or for an interview are not the officer's to do today.
    for warning in PriceWarning.objects.filter(
        status__in=[PriceWarning.Status.OPEN, PriceWarning.Status.ANSWERED]
    ).select_related("supplier", "product", "group"):
        subject = warning.product or warning.group
        title = (
            _("Send an inquiry letter or close the warning about %(subject)s (%(supplier)s)")
            if warning.status == PriceWarning.Status.OPEN
            else _("Decide on the answered warning about %(subject)s (%(supplier)s)")
        )
        yield Task(
            "prices",
            title % {"subject": subject, "supplier": warning.supplier.name},
            reverse("pricing:warning_detail", args=[warning.pk]),
            detail=warning.get_kind_display(),
        )
