"""The wording of the notifications procurement sends (awards, agreements, supply failures), registered with
``accounts.notifications`` when the app is ready."""

from django.utils.translation import gettext_lazy

WORDING = {
    "relation.proposed": gettext_lazy(
        "%(manufacturer)s proposes that you distribute %(product)s in %(area)s from %(from)s to %(to)s: accept or "
        "refuse it."
    ),
    "relation.accepted": gettext_lazy("%(distributor)s accepted to distribute %(product)s in %(area)s from %(from)s."),
    "relation.refused": gettext_lazy("%(distributor)s refused to distribute %(product)s in %(area)s: %(reason)s."),
    "relation.revoked": gettext_lazy(
        "The distribution of %(product)s in %(area)s by %(distributor)s is revoked from %(day)s: %(reason)s."
    ),
    "shipment.dispatched": gettext_lazy(
        "%(distributor)s dispatched delivery note %(number)s to you: record the receipt when it arrives."
    ),
    "order.line_short_closed": gettext_lazy(
        "Order %(number)s: %(product)s was closed short; %(packs)s packs will not be delivered."
    ),
    "return.requested": gettext_lazy(
        "Delivery note %(number)s: a return of %(packs)s packs of batch %(batch)s is asked: approve or refuse it."
    ),
    "return.approved": gettext_lazy(
        "Delivery note %(number)s: the return of %(packs)s packs of batch %(batch)s is approved."
    ),
    "return.refused": gettext_lazy("Delivery note %(number)s: the return of batch %(batch)s is refused: %(reason)s."),
    "order.answer_soon": gettext_lazy(
        "Order %(number)s: answer the line of %(product)s by %(due)s, or it is cancelled and counted against you."
    ),
    "order.answer_missed": gettext_lazy(
        "Order %(number)s: the line of %(product)s was not answered by %(due)s and is cancelled."
    ),
    "order.answer_missed_buyer": gettext_lazy(
        "Order %(number)s: the distributor did not answer the line of %(product)s by %(due)s; it is cancelled, "
        "order it again."
    ),
    "order.delivery_soon": gettext_lazy("Order %(number)s: deliver %(product)s by %(due)s."),
    "order.delivery_missed": gettext_lazy(
        "Order %(number)s: the delivery deadline of %(product)s passed at %(due)s with packs still owed."
    ),
    "order.delivery_missed_buyer": gettext_lazy(
        "Order %(number)s: %(product)s was due by %(due)s and has not all arrived; you may close the line short."
    ),
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
    """An award's reason, and a relation's refusal reason, are stored as codes and read as their labels."""
    if "refusal" in params:
        from .models.trading import RefusalReason

        code = params.pop("refusal")
        params["reason"] = params.get("reason") or (
            RefusalReason(code).label if code in RefusalReason.values else code
        )
    elif "reason" in params and "area" not in params:
        from .award_labels import reason_label

        params["reason"] = reason_label(params["reason"])
