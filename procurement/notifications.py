"""The wording of the notifications procurement sends (awards, agreements, supply failures), registered with
``accounts.notifications`` when the app is ready."""

from django.utils.translation import gettext_lazy

WORDING = {
    "award.won": gettext_lazy(
        "Round %(round)s, group %(group)s: your bid won at %(price)s per comparable unit (rank %(rank)s); "
        "agreed volume %(allocated)s."
    ),
    "award.lost": gettext_lazy("Round %(round)s, group %(group)s: your bid did not win (%(reason)s)."),
    "award.allocated": gettext_lazy(
        "Round %(round)s: the award is published; your agreed volumes cover %(groups)s groups, %(quantity)s units."
    ),
    "contract.generated": gettext_lazy(
        "Round %(round)s: your purchase agreements are ready for confirmation; the cycle starts on %(start)s."
    ),
    "supply.failure": gettext_lazy(
        "Round %(round)s, group %(group)s: your open volume in the region was moved to %(backup)s after a supply "
        "failure."
    ),
    "supply.moved": gettext_lazy(
        "Round %(round)s, group %(group)s: %(supplier)s cannot supply; %(backup)s now supplies your open volume."
    ),
    "supply.backup": gettext_lazy(
        "Round %(round)s, group %(group)s: you take over %(quantity)s units from %(supplier)s as the backup winner."
    ),
}


def label_params(params: dict) -> None:
    """An award's reason is stored as its code and read as its label."""
    if "reason" in params:
        from .award_labels import reason_label

        params["reason"] = reason_label(params["reason"])
