"""The wording of the notifications price governance sends (listings and warnings), registered with
``accounts.notifications`` when the app is ready."""

from django.utils.translation import gettext_lazy

WORDING = {
    "listing.reviewed": gettext_lazy("Your listing of %(product)s was reviewed: %(status)s."),
    "listing.suspended": gettext_lazy("Your listing of %(product)s is suspended."),
    "warning.opened": gettext_lazy("A price or supply warning was opened: %(kind)s."),
    "warning.inquiry": gettext_lazy("Inquiry letter (函询) about %(kind)s: please answer by %(due)s."),
    "warning.interview": gettext_lazy("Interview (约谈) about %(kind)s on %(on)s."),
    "warning.closed": gettext_lazy("The warning about %(kind)s is closed: %(outcome)s."),
}


def label_params(params: dict) -> None:
    """A warning's kind and outcome and a listing's status are stored as codes and read as their labels."""
    from .models import Listing, PriceWarning

    for name, choices in (("kind", PriceWarning.Kind), ("outcome", PriceWarning.Outcome), ("status", Listing.Status)):
        if params.get(name) in choices.values:
            params[name] = str(choices(params[name]).label)
